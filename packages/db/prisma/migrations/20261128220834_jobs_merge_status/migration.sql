-- DropIndex
DROP INDEX "jobs_merge_id_idx";

-- CreateIndex
CREATE INDEX "jobs_merge_id_status_idx" ON "jobs"("merge_id", "status");
