/**
 * The spend side of the LiteLLM contract server, for the spend suites: a client to it as the
 * worker has one, and the control endpoint that sets the spend it reports.
 */
import { LiteLLMClient } from "@gatehouse/litellm";
import type { ContractServer } from "@gatehouse/litellm/contract-server";
import { expect } from "vitest";
import { LITELLM_MASTER_KEY } from "./fixtures.ts";

export const clientFor = (server: ContractServer): LiteLLMClient =>
  new LiteLLMClient({ baseUrl: server.url, masterKey: LITELLM_MASTER_KEY, timeoutMs: 2_000 });

/** Sets the spend the contract server reports from now on. */
export async function setSpend(server: ContractServer, body: unknown): Promise<void> {
  const res = await fetch(`${server.url}/__control/spend`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}
