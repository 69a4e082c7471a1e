-- AlterEnum
ALTER TYPE "KeyBlockReason" ADD VALUE 'key_expired';

-- AlterTable
ALTER TABLE "team_members" ADD COLUMN     "max_budget_usd" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "limits" JSONB NOT NULL DEFAULT '{}';

-- The expiry sweep finds keys past their expiry without scanning keys that never expire.
CREATE INDEX "api_keys_expires_at_idx" ON "api_keys" ("expires_at") WHERE "expires_at" IS NOT NULL;
