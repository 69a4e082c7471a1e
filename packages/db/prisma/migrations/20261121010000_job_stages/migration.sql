-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "group_key" TEXT,
ADD COLUMN     "region_id" UUID,
ADD COLUMN     "stage" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "jobs_group_key_stage_idx" ON "jobs"("group_key", "stage");

