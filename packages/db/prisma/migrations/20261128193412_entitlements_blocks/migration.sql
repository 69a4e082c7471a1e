-- CreateEnum
CREATE TYPE "TeamBlockReason" AS ENUM ('manual', 'expired');

-- CreateEnum
CREATE TYPE "KeyBlockReason" AS ENUM ('manual', 'owner_disabled');

-- CreateTable
CREATE TABLE "team_blocks" (
    "team_id" UUID NOT NULL,
    "reason" "TeamBlockReason" NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_blocks_pkey" PRIMARY KEY ("team_id","reason")
);

-- CreateTable
CREATE TABLE "api_key_blocks" (
    "api_key_id" UUID NOT NULL,
    "reason" "KeyBlockReason" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_key_blocks_pkey" PRIMARY KEY ("api_key_id","reason")
);

-- CreateIndex
CREATE INDEX "team_blocks_reason_team_id_idx" ON "team_blocks"("reason", "team_id");

-- CreateIndex
CREATE INDEX "teams_last_payment_created_idx" ON "teams"("last_payment_at", "created_at");

-- AddForeignKey
ALTER TABLE "team_blocks" ADD CONSTRAINT "team_blocks_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key_blocks" ADD CONSTRAINT "api_key_blocks_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: convert products.limits to core's ZProductLimits shape (the same rules as
-- core normalizeLegacyLimits): `rpm`/`tpm` -> rpmLimit/tpmLimit, a model list holding "*"
-- -> [] (all models), invalid values -> null, every field present.
CREATE FUNCTION pg_temp.gh_limit(v jsonb, is_int boolean) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN jsonb_typeof(v) = 'number' AND (v #>> '{}')::numeric >= 0
         AND (NOT is_int OR (v #>> '{}')::numeric = trunc((v #>> '{}')::numeric)) THEN v
    ELSE 'null'::jsonb END
$$;

UPDATE "products" SET "limits" = jsonb_build_object(
  'maxKeys', pg_temp.gh_limit("limits"->'maxKeys', true),
  'maxBudgetUsd', pg_temp.gh_limit("limits"->'maxBudgetUsd', false),
  'budgetDuration', CASE WHEN jsonb_typeof("limits"->'budgetDuration') = 'string'
                              AND "limits"->>'budgetDuration' ~ '^\d+(s|m|h|d|mo)$'
                         THEN "limits"->'budgetDuration' ELSE 'null'::jsonb END,
  'rpmLimit', pg_temp.gh_limit(COALESCE("limits"->'rpmLimit', "limits"->'rpm'), true),
  'tpmLimit', pg_temp.gh_limit(COALESCE("limits"->'tpmLimit', "limits"->'tpm'), true),
  'models', CASE
    WHEN jsonb_typeof("limits"->'models') <> 'array' OR "limits"->'models' @> '["*"]'::jsonb THEN '[]'::jsonb
    ELSE COALESCE((SELECT jsonb_agg(DISTINCT m ORDER BY m) FROM jsonb_array_elements("limits"->'models') e(x),
                          LATERAL (SELECT x #>> '{}' AS m) s
                    WHERE jsonb_typeof(x) = 'string' AND btrim(m) <> ''), '[]'::jsonb) END);
DROP FUNCTION pg_temp.gh_limit(jsonb, boolean);
