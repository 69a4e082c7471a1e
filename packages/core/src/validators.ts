/**
 * The zod schemas of values the API takes and the web forms offer, built from core's own
 * lists so a new role, strategy or scope is added in one place and both sides parse it the
 * same way. Free-text rules live beside their domain (ZEmail, ZName, ZPassword).
 */
import { z } from "zod";
import { blockLevels } from "./block-level.ts";
import { mergeStrategies } from "./merge-plan.ts";
import { productAttachmentStatuses } from "./renewal.ts";
import { orgRoles, teamRoles } from "./roles.ts";

/** Every id Gatehouse hands out is a UUID; anything else is refused before a query runs. */
export const ZId = z.uuid({ error: "must be a valid id" });

export const ZTeamRole = z.enum(teamRoles);
export const ZOrgRole = z.enum(orgRoles);
export const ZMergeStrategy = z.enum(mergeStrategies);
export const ZBlockLevel = z.enum(blockLevels);
export const ZProductAttachmentStatus = z.enum(productAttachmentStatuses);

/**
 * A service token's scope as the API spells it: `admin` acts as a system admin, `organization`
 * as one organization's admin (see service-token-authority.ts for when it may act at all).
 */
export const serviceTokenScopes = ["admin", "organization"] as const;
export type ServiceTokenScope = (typeof serviceTokenScopes)[number];
export const ZServiceTokenScope = z.enum(serviceTokenScopes);
