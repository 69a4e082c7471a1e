-- AlterTable
ALTER TABLE "teams" ADD COLUMN     "rotate_every_days" INTEGER;

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "rotated_at" TIMESTAMPTZ(3),
ADD COLUMN     "secret_reveal_pending" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "api_key_secrets" (
    "litellm_key_id" TEXT NOT NULL,
    "api_key_id" UUID NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "secret_sealed" TEXT,
    "state" TEXT NOT NULL DEFAULT 'retiring',
    "retire_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_key_secrets_pkey" PRIMARY KEY ("litellm_key_id")
);

-- CreateIndex
CREATE INDEX "api_key_secrets_api_key_id_idx" ON "api_key_secrets"("api_key_id");

-- CreateIndex
CREATE INDEX "api_key_secrets_state_retire_at_idx" ON "api_key_secrets"("state", "retire_at");

-- AddForeignKey
ALTER TABLE "api_key_secrets" ADD CONSTRAINT "api_key_secrets_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
