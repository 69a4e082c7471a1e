/**
 * The LiteLLM side effects Gatehouse queues, with their payloads. Every handler is
 * idempotent: a job may run again after a worker dies mid-call.
 */
import { z } from "zod";

export const ZEnsureTeam = z.object({ teamId: z.string(), teamAlias: z.string() });
export const ZAddMembers = z.object({
  teamId: z.string(),
  members: z.array(z.object({ userId: z.string(), role: z.enum(["admin", "user"]) })),
});
export const ZMoveKey = z.object({
  keyToken: z.string(),
  teamId: z.string(),
  teamAlias: z.string(),
  keyAlias: z.string(),
  /** The key's owner on LiteLLM; must be a member of the new team (LiteLLM checks). */
  ownerUserId: z.string().nullable(),
});
export const ZDeleteKey = z.object({ keyToken: z.string() });
/**
 * Re-creates a key its proxy lost, with the same secret (sealed at rest, opened by the
 * worker with the operator key), so the user's key works again unchanged.
 */
export const ZRestoreKey = z.object({
  keyToken: z.string(),
  secretSealed: z.string(),
  teamId: z.string(),
  teamAlias: z.string(),
  keyAlias: z.string(),
  ownerUserId: z.string(),
  metadata: z.record(z.string(), z.string()),
});

export const jobPayloads = {
  "litellm.ensureTeam": ZEnsureTeam,
  "litellm.addMembers": ZAddMembers,
  "litellm.moveKey": ZMoveKey,
  "litellm.deleteKey": ZDeleteKey,
  "litellm.restoreKey": ZRestoreKey,
} as const;

export type JobKind = keyof typeof jobPayloads;
export type JobPayload<K extends JobKind> = z.infer<(typeof jobPayloads)[K]>;

export function isJobKind(kind: string): kind is JobKind {
  return kind in jobPayloads;
}

/** Stages within one merge and region: the team exists, then its members, then keys move. */
export const MERGE_STAGE = { ensureTeam: 0, addMembers: 1, keys: 2 } as const;

/** A job to enqueue, as data (the db package writes it). */
export interface LiteLLMJobSpec {
  kind: JobKind;
  payload: JobPayload<JobKind>;
  groupKey: string | null;
  stage: number;
  regionId: string;
  apiKeyId: string | null;
}
