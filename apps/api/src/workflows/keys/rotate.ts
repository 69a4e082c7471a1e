/**
 * Rotating a key's secret without breaking its clients, on any open-source LiteLLM (its
 * `/key/regenerate` is Enterprise-only): Gatehouse chooses the new secret, seals it on the
 * key's row and keeps the previous one as a retiring secret until the overlap ends, in one
 * transaction with the jobs that make the proxy follow (worker/key-rotation.ts). The new
 * secret is placed on the proxy inline too (so the caller gets a secret that works), the
 * queued job being the durable path when that fails; the old one is deleted by a job the
 * sweep queues when its overlap ends (at once for `overlapHours: 0`).
 */
import crypto from "node:crypto";
import {
  DomainError,
  mailLayout,
  notFound,
  preconditionFailed,
  retireAtFor,
  ROTATION_DEFAULT_OVERLAP_HOURS,
} from "@gatehouse/core";
import {
  dueKeyRotations,
  insertAudit,
  queueMail,
  rotateKeySecret,
  rotationRecipients,
  transaction,
  type Database,
  type RotatedKeySecret,
  type RotateKeySecretInput,
  type Tx,
} from "@gatehouse/db";
import { litellmKeyToken } from "@gatehouse/litellm";
import { auditRow, writeAudit } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import { regionClientsFor } from "../../litellm/region-clients.ts";
import type { Logger } from "../../logger.ts";
import { openingKeys, sealSecret } from "../../secrets.ts";
import type { KeyAccess } from "../../trpc/key-access.ts";
import { runJob } from "../../worker/handlers.ts";
import { jobDepsFor } from "../../worker/run-job.ts";

/** A new secret, its LiteLLM token, its display prefix and its sealed form. */
function newSecret(secretsKey: Buffer): {
  secret: string;
  token: string;
  keyPrefix: string;
  sealed: string;
} {
  const secret = `sk-gh-${crypto.randomBytes(24).toString("base64url")}`;
  const token = litellmKeyToken(secret);
  return {
    secret,
    token,
    keyPrefix: `${secret.slice(0, 10)}…`,
    sealed: sealSecret(secretsKey, secret, token),
  };
}

function refused(outcome: Exclude<Awaited<ReturnType<typeof rotateKeySecret>>, RotatedKeySecret>) {
  if (outcome === "gone") return notFound("Key");
  if (outcome === "not_on_proxy")
    return preconditionFailed("This key never reached its proxy; it cannot be rotated");
  return new DomainError("CONFLICT", "The key was rotated meanwhile");
}

export interface RotateKeyResult {
  secret: string;
  keyPrefix: string;
  retireAt: Date;
  previousPrefix: string;
}

/** keys.rotate (the caller's permission already checked), audited as `key.rotate`. */
export async function rotateKey(
  ctx: Context,
  access: KeyAccess,
  input: { keyId: string; overlapHours?: number | undefined },
): Promise<RotateKeyResult> {
  const secretsKey = ctx.config.secretsKey;
  // The new secret must be kept (sealed) for the durable job to place it on the proxy.
  if (!secretsKey)
    throw preconditionFailed(
      "Rotation needs GATEHOUSE_SECRETS_KEY: the new secret is kept sealed until its proxy holds it",
    );
  const overlapHours = input.overlapHours ?? ROTATION_DEFAULT_OVERLAP_HOURS;
  const made = newSecret(secretsKey);
  const now = ctx.clock.now();
  const retireAt = retireAtFor(now, overlapHours);
  const rotated = await transaction(ctx.db, async (tx) => {
    const outcome = await rotateKeySecret(tx, {
      keyId: input.keyId,
      newToken: made.token,
      keyPrefix: made.keyPrefix,
      secretSealed: made.sealed,
      now,
      retireAt,
      revealPending: false,
    });
    if (typeof outcome === "string") throw refused(outcome);
    await writeAudit(tx, ctx, {
      action: "key.rotate",
      targetType: "apiKey",
      targetId: input.keyId,
      organizationId: access.team.organizationId,
      details: {
        teamId: outcome.teamId,
        overlapHours,
        retireAt: retireAt.toISOString(),
        keyPrefix: made.keyPrefix,
        previousPrefix: outcome.oldPrefix,
      },
    });
    return outcome;
  });
  // The queued job is the durable path; this makes the answer's secret work at once.
  await placeNow(ctx, rotated.regionId, { keyId: input.keyId, keyToken: made.token });
  return {
    secret: made.secret,
    keyPrefix: made.keyPrefix,
    retireAt,
    previousPrefix: rotated.oldPrefix,
  };
}

async function placeNow(
  ctx: Context,
  regionId: string,
  payload: { keyId: string; keyToken: string },
): Promise<void> {
  try {
    const client = await regionClientsFor(ctx.db, openingKeys(ctx.config)).get(regionId);
    await runJob(
      client,
      "litellm.addKeySecret",
      payload,
      jobDepsFor({
        db: ctx.db,
        secretsKeys: openingKeys(ctx.config),
        defaultEntitlement: ctx.config.defaultEntitlement,
        requestId: ctx.requestId,
        clock: ctx.clock,
      }),
    );
  } catch (error) {
    ctx.log.warn(
      { err: error, keyId: payload.keyId },
      "placing a rotated secret failed; its queued job retries",
    );
  }
}

/** What the worker's scheduled rotation runs with. */
export interface ScheduledRotationDeps {
  db: Database;
  /** Seals the new secrets; null: scheduled rotation does nothing (nothing could be revealed). */
  secretsKey: Buffer | null;
  /** The origin of the reveal link in the mails. */
  publicUrl: () => string;
  log: Logger;
}

/** Where a scheduled rotation's new secret is revealed, once. */
export function revealUrl(publicUrl: string, keyId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/keys/${keyId}/reveal`;
}

async function tellOfRotation(
  tx: Tx,
  deps: ScheduledRotationDeps,
  rotated: RotatedKeySecret,
  retireAt: Date,
): Promise<void> {
  for (const to of await rotationRecipients(tx, rotated.keyId)) {
    await queueMail(tx, {
      to: to.email,
      purpose: "key_rotated",
      userId: to.userId,
      // Never the secret itself: a link to reveal it once, signed in.
      content: mailLayout({
        heading: `Key "${rotated.name}" was rotated`,
        paragraphs: [
          `The key "${rotated.name}" got a new secret under its team's rotation policy.`,
          `The previous secret keeps working until ${retireAt.toISOString()}; update its clients before then.`,
          "The new secret can be revealed once, by you or another team admin, after signing in.",
        ],
        action: { label: "Reveal the new secret", url: revealUrl(deps.publicUrl(), rotated.keyId) },
      }),
    });
  }
}

/**
 * The worker's scheduled rotation: every key its policy says is due gets a new secret, once
 * (the rotation is conditional on the token read, so a second worker finds it superseded),
 * its owner and team admins a mail with a link to reveal it. Returns how many rotated.
 */
export async function rotateDueKeys(
  deps: ScheduledRotationDeps,
  now: Date,
  limit = 200,
): Promise<number> {
  if (!deps.secretsKey) return 0;
  let rotatedCount = 0;
  for (const due of await dueKeyRotations(deps.db, { now, limit })) {
    const made = newSecret(deps.secretsKey);
    const retireAt = retireAtFor(now, ROTATION_DEFAULT_OVERLAP_HOURS);
    const input: RotateKeySecretInput = {
      keyId: due.keyId,
      expectToken: due.keyToken,
      newToken: made.token,
      keyPrefix: made.keyPrefix,
      secretSealed: made.sealed,
      now,
      retireAt,
      revealPending: true,
    };
    const done = await transaction(deps.db, async (tx) => {
      const outcome = await rotateKeySecret(tx, input);
      if (typeof outcome === "string") return false;
      const audit = auditRow(
        { actor: null, requestId: "worker:scheduled-rotation", clock: { now: () => now } },
        {
          action: "key.rotate",
          targetType: "apiKey",
          targetId: due.keyId,
          details: {
            teamId: outcome.teamId,
            scheduled: true,
            everyDays: due.everyDays,
            overlapHours: ROTATION_DEFAULT_OVERLAP_HOURS,
            retireAt: retireAt.toISOString(),
            keyPrefix: made.keyPrefix,
            previousPrefix: outcome.oldPrefix,
          },
        },
      );
      await insertAudit(tx, audit);
      await tellOfRotation(tx, deps, outcome, retireAt);
      return true;
    });
    if (done) rotatedCount += 1;
  }
  if (rotatedCount > 0) deps.log.info({ rotated: rotatedCount }, "scheduled key rotation");
  return rotatedCount;
}
