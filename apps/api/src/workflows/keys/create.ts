/**
 * Creating a key: one workflow across our database and the region's LiteLLM proxy. A key
 * lives in both places and must never exist in only one of them unnoticed:
 * - we choose the secret, so its LiteLLM id is known up front; the row is written first
 *   (reserving the name, under a lock on the team so a merge, delete or block waits), then
 *   LiteLLM is asked;
 * - an ambiguous failure (timeout) is resolved by asking LiteLLM whether the key exists; a
 *   real failure removes the row and queues an idempotent delete on LiteLLM in case the
 *   proxy did create it (the caller gets a 400 or 503 saying nothing was kept);
 * - a pending delete of a key of the same name still holds the alias on the proxy: it is
 *   run now, then the key is created (a user may delete and re-create at once).
 * The secret is returned once and never stored (only sealed, when a secrets key is set).
 */
import crypto from "node:crypto";
import {
  GATEHOUSE_KEY_ROUTES,
  canAddKey,
  forbidden,
  resolveKeyExpiry,
  resolveKeyLimits,
  teamRoleCanManageKeys,
  type TeamRole,
  DomainError,
  jobs,
  litellmKeyAlias,
  litellmTeamId,
  notFound,
  preconditionFailed,
  NO_KEY_LIMITS,
  type TKeyLimits,
} from "@gatehouse/core";
import {
  enqueueJobs,
  enqueueTeamStateJobs,
  finishKeyCreate,
  insertApiKey,
  lockTeam,
  memberBudget,
  newKeyTeamState,
  regionForNewKey,
  removeApiKeyRow,
  runPendingKeyDeletes,
  transaction,
  type KeyRow,
} from "@gatehouse/db";
import { isLiteLLMError, litellmKeyToken } from "@gatehouse/litellm";
import type { Actor } from "@gatehouse/core";
import { auditRow } from "../../audit/write.ts";
import type { Context } from "../../context.ts";
import { regionClientsFor } from "../../litellm/region-clients.ts";
import { openingKeys, sealSecret } from "../../secrets.ts";
import { memberIdOf, type TeamAccess } from "../../trpc/team-access.ts";
import { generateLimitsOf, keyRulesOf, refuseFields } from "./limits.ts";

export interface CreateKeyRequest {
  teamId: string;
  name: string;
  regionId: string;
  maxBudgetUsd?: number | null | undefined;
  budgetDuration?: string | null | undefined;
  rpmLimit?: number | null | undefined;
  tpmLimit?: number | null | undefined;
  models?: string[] | undefined;
  /** ISO date-time; exclusive with lifetimeDays. */
  expiresAt?: string | undefined;
  lifetimeDays?: number | undefined;
}

/**
 * Creates the key for `team` (the caller's permission already checked) and writes its
 * audit event. Returns the row as keys.list shows it, and the secret.
 */
export async function createKey(
  ctx: Context & { actor: Actor },
  team: TeamAccess["team"],
  input: CreateKeyRequest,
): Promise<{ row: KeyRow; secret: string }> {
  const region = await regionForNewKey(ctx.db, input.regionId);
  if (!region) throw notFound("Region", { field: "regionId" });
  if (!region.isActive)
    throw preconditionFailed(`Region ${region.name} is inactive; keys cannot be created there now`);

  const secret = `sk-gh-${crypto.randomBytes(24).toString("base64url")}`;
  const token = litellmKeyToken(secret);
  const ownerUserId =
    ctx.actor.kind === "user" ? ctx.actor.userId : `gatehouse-service-${ctx.actor.serviceTokenId}`;
  const now = ctx.clock.now();
  let limits: TKeyLimits = NO_KEY_LIMITS;
  let expiresAt = null as Date | null;

  // Four round trips (BEGIN, the checks, the insert, COMMIT): under load each one is a
  // wait for a pooled connection, which is where this procedure's time went.
  const row = await transaction(ctx.db, async (tx): Promise<KeyRow> => {
    // FOR UPDATE, not SHARE: two creates at the maxKeys limit must count one after the
    // other (one wins); merges, deletes and blocks of the team wait as well. The checks
    // are a second statement on purpose: under READ COMMITTED it takes its snapshot after
    // the lock is granted, so it sees a competing create that committed meanwhile.
    if (!(await lockTeam(tx, input.teamId))) throw notFound("Team");
    const {
      blocks,
      products,
      keys: existing,
      taken,
      callerRole,
    } = await newKeyTeamState(tx, input.teamId, input.name, memberIdOf(ctx.actor));
    // The caller's team role was checked before this lock; a removal (or demotion) that
    // committed since wins. System admins and service tokens need no team role.
    if (
      ctx.actor.kind === "user" &&
      !ctx.actor.isSystemAdmin &&
      !(callerRole !== null && teamRoleCanManageKeys(callerRole as TeamRole))
    ) {
      throw forbidden("You are no longer allowed to create keys in this team");
    }
    if (blocks.length > 0) {
      throw preconditionFailed(
        `The team is blocked (${blocks.join(", ")}); keys cannot be created`,
      );
    }
    const { entitlement, policy } = keyRulesOf(products, ctx.config.defaultEntitlement);
    if (!canAddKey(existing, entitlement.maxKeys)) {
      const source = entitlement.sources.maxKeys;
      const from =
        source === "default" ? "the default entitlement" : `product ${source.productName}`;
      throw preconditionFailed(
        `The team has reached its limit of ${entitlement.maxKeys} keys (maxKeys, from ${from}) across all regions; delete a key first`,
        { maxKeys: entitlement.maxKeys, keys: existing },
      );
    }
    if (taken)
      throw new DomainError("CONFLICT", "A key with this name already exists in the team", {
        field: "name",
      });
    // The key's own limits within the team's entitlement, unset ones from the product's
    // key defaults; its expiry within the products' lifetime cap.
    const resolved = resolveKeyLimits(
      {
        ...(input.maxBudgetUsd !== undefined ? { maxBudgetUsd: input.maxBudgetUsd } : {}),
        ...(input.budgetDuration !== undefined ? { budgetDuration: input.budgetDuration } : {}),
        ...(input.rpmLimit !== undefined ? { rpmLimit: input.rpmLimit } : {}),
        ...(input.tpmLimit !== undefined ? { tpmLimit: input.tpmLimit } : {}),
        ...(input.models !== undefined ? { models: input.models } : {}),
      },
      entitlement,
      policy,
    );
    if (!resolved.ok) refuseFields(resolved.errors);
    const expiry = resolveKeyExpiry(
      {
        expiresAt: input.expiresAt !== undefined ? new Date(input.expiresAt) : undefined,
        lifetimeDays: input.lifetimeDays,
      },
      now,
      policy.maxLifetimeDays,
    );
    if (!expiry.ok) refuseFields(expiry.errors);
    limits = resolved.limits;
    expiresAt = expiry.expiresAt;
    const creatorId = memberIdOf(ctx.actor);
    // Sealed so reconciliation can re-create the key if its proxy loses it.
    const sealed = ctx.config.secretsKey ? sealSecret(ctx.config.secretsKey, secret, token) : null;
    const keyPrefix = `${secret.slice(0, 10)}…`;
    const key = await insertApiKey(tx, {
      name: input.name,
      teamId: input.teamId,
      regionId: region.id,
      creatorId,
      litellmKeyId: token,
      keyPrefix,
      secretSealed: sealed,
      now,
      limits,
      expiresAt,
    });
    return {
      id: key.id,
      name: input.name,
      teamId: input.teamId,
      regionId: region.id,
      keyPrefix,
      createdAt: key.createdAt,
      team: { name: key.teamName },
      region: { name: region.name },
      creator: creatorId && key.creatorEmail ? { id: creatorId, email: key.creatorEmail } : null,
      limits,
      expiresAt,
    };
  });

  const litellmTeam = litellmTeamId(region.name, team.id);
  const keyAlias = litellmKeyAlias(litellmTeam, input.name);
  const client = await regionClientsFor(ctx.db, openingKeys(ctx.config)).get(region.id);
  const generate = () =>
    client.generateKey({
      key: secret,
      keyAlias,
      teamId: litellmTeam,
      userId: ownerUserId,
      metadata: { gatehouse_key_id: row.id, gatehouse_team_id: team.id },
      // Model calls only: a key must not read its team's other keys through /team/info.
      allowedRoutes: GATEHOUSE_KEY_ROUTES,
      ...(generateLimitsOf(limits) ? { limits: generateLimitsOf(limits)! } : {}),
      ...(expiresAt !== null ? { expiresAt } : {}),
    });
  try {
    if ((await client.ensureTeam({ teamId: litellmTeam, teamAlias: team.name })) === "created") {
      // A team new on this proxy gets the team's limits and block state (durable jobs;
      // a block that raced this creation found no team to block). Nudged now, not after
      // the mutation: the key is created under this team next, and should find its limits.
      await transaction(ctx.db, (tx) => enqueueTeamStateJobs(tx, [team.id], region.id));
      ctx.jobs?.nudge();
    }
    await client.ensureTeamMembers({
      teamId: litellmTeam,
      members: [{ userId: ownerUserId, role: "user" }],
    });
    // The owner's budget inside the team reaches this proxy too (its team may be new here).
    if (ctx.actor.kind === "user" && (await memberBudget(ctx.db, team.id, ownerUserId)) != null) {
      await transaction(ctx.db, (tx) =>
        enqueueJobs(tx, [
          jobs.setMemberBudget(
            { teamId: litellmTeam, gatehouseTeamId: team.id, userId: ownerUserId },
            { regionId: region.id },
          ),
        ]),
      );
    }
    try {
      await generate();
    } catch (error) {
      // Our own queued delete of a key of this name still holds the alias: finish it now.
      if (!(isLiteLLMError(error) && error.reason === "alias_taken")) throw error;
      const freed = await runPendingKeyDeletes(ctx.db, region.id, keyAlias, (keys) =>
        client.deleteKeysIdempotent({ keys }),
      );
      if (!freed) throw error;
      await generate();
    }
  } catch (error) {
    // Did the proxy create it anyway (a timeout after the write, a retried request)?
    const exists = await client.keyInfo(token).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await transaction(ctx.db, async (tx) => {
        await removeApiKeyRow(tx, row.id);
        await enqueueJobs(tx, [
          jobs.deleteKey({ keyToken: token, keyAlias }, { regionId: region.id, apiKeyId: row.id }),
        ]);
      });
      // The mutation fails, so the middleware's nudge does not run: the delete goes now.
      ctx.jobs?.nudge();
      const reason = isLiteLLMError(error) ? `${error.kind}: ${error.message}` : "unexpected error";
      ctx.log.warn({ err: error, keyId: row.id }, "key creation failed on LiteLLM; rolled back");
      throw new DomainError(
        isLiteLLMError(error) && !error.retryable ? "BAD_REQUEST" : "UNAVAILABLE",
        `LiteLLM (region ${region.name}) did not create the key (${reason}); nothing was kept`,
      );
    }
  }

  // A removal of the creator (or a disable) that committed after the key's row and before
  // the proxy call queued jobs that found no key there: queue them again, now that it is.
  // Then the audit event: neither needs a transaction of its own (the key's row committed).
  await finishKeyCreate(
    ctx.db,
    row.id,
    auditRow(ctx, {
      action: "key.create",
      targetType: "apiKey",
      targetId: row.id,
      organizationId: team.organizationId,
      details: {
        teamId: team.id,
        name: input.name,
        regionId: region.id,
        limits,
        expiresAt: expiresAt?.toISOString() ?? null,
      },
    }),
  );
  // (The worker is nudged after the mutation, by the tRPC middleware.)
  return { row, secret };
}
