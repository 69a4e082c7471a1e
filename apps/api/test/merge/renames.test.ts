/**
 * Merge renames at the edges: a counter when the suffixed name is taken, names at the
 * 64-character limit, and a custom rename suffix (an invalid one is a field error).
 */
import { describe, expect, it } from "vitest";
import { isValidKeyName, KEY_NAME_MAX } from "@gatehouse/core";
import { type Out } from "../support/http.ts";
import { h, admin, euTeam, alias, team, key, type MergeInput, preview, merge } from "./suite.ts";
import { keysOf, litellmKey } from "./suite.ts";
describe("rename corner cases", () => {
  it("appends a counter when the suffixed name is already taken (in the target or by a moved key)", async () => {
    const S = await team("Counter Source");
    const T = await team("Counter Target");
    const k = await key(S, "k");
    await key(S, "k_x_2"); // moves unchanged, so the counter must skip it too
    await key(T, "k");
    await key(T, "k_x");
    const input: MergeInput = {
      sourceTeamId: S,
      targetTeamId: T,
      strategy: "rename",
      renameSuffix: "_x",
    };
    const pre = (await preview(input)).data;
    expect(pre.conflicts).toEqual([expect.objectContaining({ name: "k", newName: "k_x_3" })]);
    const res = await merge(input);
    expect(res.status).toBe(200);
    expect(await keysOf(T)).toEqual(["k", "k_x", "k_x_2", "k_x_3"]);
    await h.drain();
    expect(litellmKey(h.litellm, k.token)?.keyAlias).toBe(alias(euTeam(T), "k_x_3"));
  });

  it("keeps renamed names at the 64-character limit valid and unique", async () => {
    const S = await team("Src");
    const T = await team("Long Target");
    const a = "a".repeat(60) + "0001";
    const b = "a".repeat(60) + "0002";
    const spaced = "b".repeat(54) + " " + "c".repeat(9); // the cut falls on the space
    expect([a, b, spaced].every((n) => n.length === KEY_NAME_MAX)).toBe(true);
    const source = [await key(S, a), await key(S, b), await key(S, spaced)];
    for (const n of [a, b, spaced]) await key(T, n);
    const input: MergeInput = { sourceTeamId: S, targetTeamId: T, strategy: "rename" };
    const pre = (await preview(input)).data;
    const renamed = pre.conflicts.map((c) => c.newName!);
    expect(renamed).toEqual([
      "a".repeat(55) + "_from_src",
      "a".repeat(53) + "_from_src_2",
      "b".repeat(54) + "_from_src",
    ]);

    expect((await merge(input)).status).toBe(200);
    const names = await keysOf(T);
    expect(names).toHaveLength(6);
    expect(new Set(names).size).toBe(6);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(KEY_NAME_MAX);
      expect(isValidKeyName(n), n).toBe(true);
    }
    for (const n of renamed) expect(names).toContain(n);
    await h.drain();
    for (const [i, k] of source.entries()) {
      expect(litellmKey(h.litellm, k.token)?.keyAlias).toBe(alias(euTeam(T), renamed[i]!));
    }
    // A renamed key is an ordinary key afterwards: it can be listed and deleted.
    const list = await h.queryOk<Out<"keys.list">>("keys.list", { teamId: T }, admin.creds);
    expect(list.items.map((k) => k.name).sort()).toEqual([...names].sort());
    await h.mutationOk("keys.delete", { keyId: source[1]!.id }, admin.creds);
    await h.drain();
    expect(litellmKey(h.litellm, source[1]!.token)).toBeUndefined();
  });

  it("uses a custom renameSuffix, and rejects an invalid one with a field error", async () => {
    const S = await team("Suffix Source");
    const T = await team("Suffix Target");
    const k = await key(S, "api");
    await key(T, "api");
    const bad = await merge({
      sourceTeamId: S,
      targetTeamId: T,
      strategy: "rename",
      renameSuffix: "(old)",
    });
    expect(bad.status).toBe(400);
    expect(bad.error?.data.fieldErrors?.renameSuffix).toBeDefined();
    const tooLong = await merge({
      sourceTeamId: S,
      targetTeamId: T,
      strategy: "rename",
      renameSuffix: "x".repeat(41),
    });
    expect(tooLong.status).toBe(400);

    const res = await merge({
      sourceTeamId: S,
      targetTeamId: T,
      strategy: "rename",
      renameSuffix: "-old",
    });
    expect(res.data.renamedKeys).toBe(1);
    expect(await keysOf(T)).toEqual(["api", "api-old"]);
    await h.drain();
    expect(litellmKey(h.litellm, k.token)?.keyAlias).toBe(alias(euTeam(T), "api-old"));
  });
});
