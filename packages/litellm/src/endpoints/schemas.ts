/**
 * Response schemas: loose on purpose. LiteLLM adds fields between versions, so only what
 * Gatehouse reads is checked, and a missing essential field is a protocol error.
 */
import { z } from "zod";

const zNullableString = z.string().nullish();
const zMember = z.looseObject({
  user_id: zNullableString,
  user_email: zNullableString,
  role: z.string(),
});
export const zTeam = z.looseObject({
  team_id: z.string(),
  team_alias: zNullableString,
  members_with_roles: z.array(zMember).nullish(),
});
export const zGeneratedKey = z.looseObject({
  key: z.string().min(1),
  token: zNullableString,
  token_id: zNullableString,
  key_alias: zNullableString,
  team_id: zNullableString,
  user_id: zNullableString,
  expires: zNullableString,
  budget_reset_at: zNullableString,
});
export const zUpdatedKey = z.looseObject({
  key: zNullableString,
  team_id: zNullableString,
  key_alias: zNullableString,
  expires: zNullableString,
  budget_reset_at: zNullableString,
});
export const zDeletedKeys = z.looseObject({ deleted_keys: z.array(z.string()) });
export const zUpdatedTeam = z.looseObject({ team_id: z.string() });
// LiteLLM returns whatever its delete helper returned: only the status matters.
export const zAnyObject = z.unknown();
export const zKeyInfo = z.looseObject({
  info: z.looseObject({
    key_alias: zNullableString,
    key_name: zNullableString,
    team_id: zNullableString,
    user_id: zNullableString,
    metadata: z.record(z.string(), z.unknown()).nullish(),
    blocked: z.boolean().nullish(),
    allowed_routes: z.array(z.string()).nullish(),
    spend: z.number().nullish(),
    max_budget: z.number().nullish(),
    budget_duration: zNullableString,
    budget_reset_at: zNullableString,
    tpm_limit: z.number().nullish(),
    rpm_limit: z.number().nullish(),
    models: z.array(z.string()).nullish(),
    expires: zNullableString,
  }),
});
export const zTeamMemberUpdated = z.looseObject({
  team_id: z.string(),
  user_id: z.string(),
  max_budget_in_team: z.number().nullish(),
  // Not in older TeamMemberUpdateResponse models: absent means "as sent".
  tpm_limit: z.number().nullish(),
  rpm_limit: z.number().nullish(),
});
export const zTeamInfo = z.looseObject({
  team_id: z.string(),
  team_memberships: z
    .array(
      z.looseObject({
        user_id: z.string(),
        team_id: zNullableString,
        spend: z.number().nullish(),
        litellm_budget_table: z
          .looseObject({
            max_budget: z.number().nullish(),
            tpm_limit: z.number().nullish(),
            rpm_limit: z.number().nullish(),
          })
          .nullish(),
      }),
    )
    .nullish(),
});

const zSpend = z.number().nullish();
const zMetadataField = z.record(z.string(), z.unknown()).nullish();
export const zTeamPage = z.looseObject({
  teams: z.array(
    z.looseObject({
      team_id: z.string(),
      team_alias: zNullableString,
      spend: zSpend,
      max_budget: z.number().nullish(),
      budget_duration: zNullableString,
      budget_reset_at: zNullableString,
      tpm_limit: z.number().nullish(),
      rpm_limit: z.number().nullish(),
      models: z.array(z.string()).nullish(),
      blocked: z.boolean().nullish(),
      members_count: z.number().nullish(),
      metadata: zMetadataField,
    }),
  ),
  total: z.number(),
  page: z.number(),
  page_size: z.number(),
  total_pages: z.number(),
});
export const zKeyPage = z.looseObject({
  keys: z.array(
    z.looseObject({
      token: z.string().min(1),
      key_alias: zNullableString,
      key_name: zNullableString,
      team_id: zNullableString,
      user_id: zNullableString,
      spend: zSpend,
      metadata: zMetadataField,
      blocked: z.boolean().nullish(),
      allowed_routes: z.array(z.string()).nullish(),
    }),
  ),
  total_count: z.number(),
  current_page: z.number(),
  total_pages: z.number(),
});

const zDayMetrics = z.looseObject({ spend: z.number().nullish() });
/** `/team/daily/activity` (SpendAnalyticsPaginatedResponse): only what the backfill reads. */
export const zDailyActivity = z.looseObject({
  results: z.array(
    z.looseObject({
      date: z.string(),
      breakdown: z.looseObject({
        entities: z.record(z.string(), z.looseObject({ metrics: zDayMetrics })).nullish(),
      }),
    }),
  ),
  metadata: z.looseObject({ has_more: z.boolean().nullish(), total_pages: z.number().nullish() }),
});
