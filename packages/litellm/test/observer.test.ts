/**
 * The client's `observer` option: told about every finished call (route without the query,
 * status, duration, failure kind) so the API can keep metrics without this package
 * depending on a metrics library; a throwing observer never breaks a call.
 */
import { describe, expect, it } from "vitest";
import type { LiteLLMCallEvent } from "../src/index.ts";
import { caught, useContractServer } from "./helpers.ts";

describe("LiteLLMClient observer", () => {
  const fx = useContractServer();

  it("reports successes and failures with route, status and error kind", async () => {
    const events: LiteLLMCallEvent[] = [];
    const client = fx().makeClient({ observer: (event) => events.push(event) });
    await client.createTeam({ teamId: "eu-west_obs", teamAlias: "Observed" });
    await caught(() => client.keyInfo("sk-no-such-key-observed"));
    const wrongKey = fx().makeClient({
      masterKey: "sk-wrong-master-key",
      observer: (event) => events.push(event),
    });
    await caught(() => wrongKey.createTeam({ teamId: "eu-west_obs2", teamAlias: "Nope" }));

    expect(events.map(({ durationMs: _, ...rest }) => rest)).toEqual([
      { operation: "createTeam", route: "POST /team/new", status: 200, error: null },
      {
        operation: "keyInfo",
        route: "GET /key/info",
        status: expect.any(Number),
        error: { kind: "not_found", reason: "key_not_found" },
      },
      {
        operation: "createTeam",
        route: "POST /team/new",
        status: 401,
        error: { kind: "unauthorized", reason: "bad_master_key" },
      },
    ]);
    expect(events.every((e) => e.durationMs >= 0)).toBe(true);
  });

  it("reports unreachable proxies without a status, and survives a throwing observer", async () => {
    const events: LiteLLMCallEvent[] = [];
    const down = fx().makeClient({
      baseUrl: "http://127.0.0.1:1",
      observer: (event) => events.push(event),
    });
    await caught(() => down.createTeam({ teamId: "eu-west_down", teamAlias: "Down" }));
    expect(events).toMatchObject([
      { route: "POST /team/new", status: undefined, error: { kind: "unavailable" } },
    ]);

    const client = fx().makeClient({
      observer: () => {
        throw new Error("observer bug");
      },
    });
    await expect(
      client.createTeam({ teamId: "eu-west_obs3", teamAlias: "Still works" }),
    ).resolves.toMatchObject({ teamId: "eu-west_obs3" });
  });
});
