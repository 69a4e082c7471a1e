/**
 * What every route handler shares: its signature, the loose request fields, and the team
 * and key rows as LiteLLM answers them.
 */
import { z } from "zod";
import type { ContractProfile } from "./profiles.ts";
import type { ContractKey, ContractState, ContractTeam } from "./state.ts";
import type { WireResponse } from "./wire.ts";

export interface RouteContext {
  state: ContractState;
  profile: ContractProfile;
  /** user_id LiteLLM attaches to master-key calls; added as team admin on /team/new. */
  masterKeyUserId: string | null;
}

export interface RouteRequest {
  body: unknown;
  query: URLSearchParams;
  /** The bearer token presented (the master key, or a virtual key on model routes). */
  apiKey?: string;
}

export type RouteHandler = (ctx: RouteContext, request: RouteRequest) => WireResponse;

export const zText = z.string().nullish();
export const zMetadata = z.record(z.string(), z.unknown()).nullish();

export const now = (): string => new Date().toISOString();
export const ok = (body: unknown): WireResponse => ({ status: 200, body });

export function pyStr(value: string | null): string {
  return value === null ? "None" : `'${value}'`;
}

export function teamRow(team: ContractTeam): Record<string, unknown> {
  return {
    team_id: team.teamId,
    team_alias: team.teamAlias,
    organization_id: null,
    admins: [],
    members: [],
    members_with_roles: [...team.members.values()].map((m) => ({
      user_id: m.userId,
      user_email: m.userEmail,
      role: m.role,
    })),
    metadata: team.metadata,
    tpm_limit: team.tpmLimit ?? null,
    rpm_limit: team.rpmLimit ?? null,
    max_budget: team.maxBudget ?? null,
    budget_duration: team.budgetDuration ?? null,
    models: team.models ?? [],
    blocked: team.blocked ?? false,
    spend: team.spend ?? 0,
    budget_reset_at: team.budgetResetAt ?? null,
    created_at: team.createdAt,
  };
}

export function keyRow(key: ContractKey): Record<string, unknown> {
  return {
    key_name: key.keyName,
    key_alias: key.keyAlias,
    team_id: key.teamId,
    user_id: key.userId,
    metadata: key.metadata,
    models: key.models ?? [],
    spend: key.spend ?? 0,
    max_budget: key.maxBudget ?? null,
    budget_duration: key.budgetDuration ?? null,
    budget_reset_at: key.budgetResetAt ?? null,
    tpm_limit: key.tpmLimit ?? null,
    rpm_limit: key.rpmLimit ?? null,
    expires: key.expires ?? null,
    blocked: key.blocked ?? null,
    allowed_routes: key.allowedRoutes ?? [],
    created_at: key.createdAt,
    updated_at: key.updatedAt,
  };
}

export function teamMissingText(teamId: string): string {
  return `Team doesn't exist in db. Team=${teamId}. Create team via \`/team/new\` call.`;
}
