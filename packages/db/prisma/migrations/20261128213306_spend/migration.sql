-- AlterTable
ALTER TABLE "teams" ADD COLUMN     "spend_known" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "spend_usd" DECIMAL(20,6) NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "team_spend" (
    "team_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "spend_usd" DECIMAL(20,6) NOT NULL,
    "max_budget_usd" DECIMAL(20,6),
    "budget_duration" TEXT,
    "budget_reset_at" TIMESTAMPTZ(3),
    "as_of" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "team_spend_pkey" PRIMARY KEY ("team_id","region_id")
);

-- CreateTable
CREATE TABLE "team_spend_daily" (
    "team_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "spend_usd" DECIMAL(20,6) NOT NULL,
    "budget_reset_at" TIMESTAMPTZ(3),
    "as_of" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "team_spend_daily_pkey" PRIMARY KEY ("team_id","day","region_id")
);

-- CreateTable
CREATE TABLE "api_key_spend" (
    "api_key_id" UUID NOT NULL,
    "spend_usd" DECIMAL(20,6) NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "api_key_spend_pkey" PRIMARY KEY ("api_key_id")
);

-- CreateTable
CREATE TABLE "region_spend_syncs" (
    "region_id" UUID NOT NULL,
    "running_by" TEXT,
    "running_until" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "error" TEXT,
    "last_ok_at" TIMESTAMPTZ(3),
    "teams_read" INTEGER NOT NULL DEFAULT 0,
    "keys_read" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "region_spend_syncs_pkey" PRIMARY KEY ("region_id")
);

-- CreateIndex
CREATE INDEX "team_spend_region_id_idx" ON "team_spend"("region_id");

-- CreateIndex
CREATE INDEX "team_spend_daily_day_idx" ON "team_spend_daily"("day");

-- CreateIndex
CREATE INDEX "team_spend_daily_region_id_idx" ON "team_spend_daily"("region_id");

-- CreateIndex
CREATE INDEX "teams_spend_id_idx" ON "teams"("spend_usd" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "teams_org_spend_id_idx" ON "teams"("organization_id", "spend_usd" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "team_spend" ADD CONSTRAINT "team_spend_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_spend" ADD CONSTRAINT "team_spend_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_spend_daily" ADD CONSTRAINT "team_spend_daily_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_spend_daily" ADD CONSTRAINT "team_spend_daily_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key_spend" ADD CONSTRAINT "api_key_spend_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "region_spend_syncs" ADD CONSTRAINT "region_spend_syncs_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
