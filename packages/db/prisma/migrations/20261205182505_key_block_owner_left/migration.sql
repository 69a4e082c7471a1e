-- AlterEnum
ALTER TYPE "KeyBlockReason" ADD VALUE 'owner_left';
