-- Service tokens are bound by their creator's current rights (issue 10, item 1).

-- last_used_at is in the first migration; kept idempotent for databases made before it.
ALTER TABLE "service_tokens" ADD COLUMN IF NOT EXISTS "last_used_at" TIMESTAMPTZ(3);

-- A creator id that names no user (there is no user deletion, but the column had no
-- foreign key) would block the constraint below; such a token has no creator, and a token
-- without a creator acts with no rights (401).
UPDATE "service_tokens" SET "created_by_id" = NULL
 WHERE "created_by_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "users" u WHERE u."id" = "created_by_id");

-- CreateIndex
CREATE INDEX "service_tokens_created_by_id_idx" ON "service_tokens"("created_by_id");

-- AddForeignKey
ALTER TABLE "service_tokens" ADD CONSTRAINT "service_tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
