-- CreateEnum
CREATE TYPE "BlockLevel" AS ENUM ('system', 'organization', 'team');

-- AlterTable
ALTER TABLE "team_blocks" ADD COLUMN     "level" "BlockLevel",
ADD COLUMN     "placed_by_service_token_id" UUID,
ADD COLUMN     "placed_by_user_id" UUID;

-- AlterTable
ALTER TABLE "api_key_blocks" ADD COLUMN     "level" "BlockLevel",
ADD COLUMN     "note" TEXT,
ADD COLUMN     "placed_by_service_token_id" UUID,
ADD COLUMN     "placed_by_user_id" UUID;
