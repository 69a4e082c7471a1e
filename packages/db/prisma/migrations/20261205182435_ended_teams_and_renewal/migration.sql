-- AlterEnum
ALTER TYPE "TeamProductStatus" ADD VALUE 'LAPSED';

-- DropForeignKey
ALTER TABLE "team_spend_daily" DROP CONSTRAINT "team_spend_daily_team_id_fkey";

-- DropIndex
DROP INDEX "team_products_product_id_idx";

-- AlterTable
ALTER TABLE "team_products" ADD COLUMN     "lapsed_at" TIMESTAMPTZ(3),
ADD COLUMN     "period_start" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "ended_teams" (
    "team_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "organization_id" UUID,
    "fate" TEXT NOT NULL,
    "merged_into_team_id" UUID,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ended_teams_pkey" PRIMARY KEY ("team_id")
);

-- CreateIndex
CREATE INDEX "ended_teams_organization_id_team_id_idx" ON "ended_teams"("organization_id", "team_id");

-- CreateIndex
CREATE INDEX "team_products_product_id_status_period_start_idx" ON "team_products"("product_id", "status", "period_start");

-- Hand-written: existing attachments start their period at the later of the team's last
-- payment and the attachment (core productRenewal), as products.attach and teams.update
-- keep it from now on.
UPDATE "team_products" tp
   SET "period_start" = GREATEST(tp."created_at", COALESCE(t."last_payment_at", tp."created_at"))
  FROM "teams" t
 WHERE t."id" = tp."team_id";
