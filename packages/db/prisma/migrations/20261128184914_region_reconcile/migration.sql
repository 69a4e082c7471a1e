-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "secret_sealed" TEXT;

-- CreateTable
CREATE TABLE "region_reconciliations" (
    "region_id" UUID NOT NULL,
    "running_by" TEXT,
    "running_until" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "error" TEXT,
    "difference_count" INTEGER NOT NULL DEFAULT 0,
    "report" JSONB NOT NULL DEFAULT '{}',
    "repair_group_key" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "region_reconciliations_pkey" PRIMARY KEY ("region_id")
);

-- CreateIndex
CREATE INDEX "api_keys_region_token_idx" ON "api_keys"("region_id", "litellm_key_id");

-- AddForeignKey
ALTER TABLE "region_reconciliations" ADD CONSTRAINT "region_reconciliations_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
