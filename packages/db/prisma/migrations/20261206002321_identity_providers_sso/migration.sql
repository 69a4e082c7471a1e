-- CreateEnum
CREATE TYPE "MembershipSource" AS ENUM ('MANUAL', 'SSO');

-- CreateEnum
CREATE TYPE "AuthMethod" AS ENUM ('PASSWORD', 'SSO', 'INVITATION');

-- AlterTable
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "sso_enforced" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "organization_members" ADD COLUMN     "source" "MembershipSource" NOT NULL DEFAULT 'MANUAL',
ADD COLUMN     "source_rule_id" UUID;

-- AlterTable
ALTER TABLE "team_members" ADD COLUMN     "source" "MembershipSource" NOT NULL DEFAULT 'MANUAL',
ADD COLUMN     "source_rule_id" UUID;

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "auth_method" "AuthMethod" NOT NULL DEFAULT 'PASSWORD',
ADD COLUMN     "idp_provider_id" UUID,
ADD COLUMN     "idp_sid" TEXT;

-- CreateTable
CREATE TABLE "identity_providers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID,
    "issuer" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "client_secret_sealed" TEXT NOT NULL,
    "domains" TEXT[],
    "jit_provisioning" BOOLEAN NOT NULL DEFAULT false,
    "groups_claim" TEXT NOT NULL DEFAULT 'groups',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity_provider_group_rules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "provider_id" UUID NOT NULL,
    "group" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "org_role" "OrgRole",
    "team_id" UUID,
    "team_role" "TeamRole",
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_provider_group_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_identities" (
    "provider_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_identities_pkey" PRIMARY KEY ("provider_id","subject")
);

-- CreateTable
CREATE TABLE "sso_login_attempts" (
    "state_hash" TEXT NOT NULL,
    "provider_id" UUID NOT NULL,
    "nonce" TEXT NOT NULL,
    "code_verifier" TEXT NOT NULL,
    "browser_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sso_login_attempts_pkey" PRIMARY KEY ("state_hash")
);

-- CreateIndex
CREATE INDEX "identity_providers_organization_id_idx" ON "identity_providers"("organization_id");

-- CreateIndex
CREATE INDEX "identity_providers_issuer_idx" ON "identity_providers"("issuer");

-- CreateIndex
CREATE INDEX "identity_providers_domains_idx" ON "identity_providers" USING GIN ("domains");

-- CreateIndex
CREATE INDEX "identity_provider_group_rules_provider_id_idx" ON "identity_provider_group_rules"("provider_id");

-- CreateIndex
CREATE INDEX "identity_provider_group_rules_organization_id_idx" ON "identity_provider_group_rules"("organization_id");

-- CreateIndex
CREATE INDEX "identity_provider_group_rules_team_id_idx" ON "identity_provider_group_rules"("team_id");

-- CreateIndex
CREATE INDEX "user_identities_user_id_idx" ON "user_identities"("user_id");

-- CreateIndex
CREATE INDEX "sso_login_attempts_expires_at_idx" ON "sso_login_attempts"("expires_at");

-- CreateIndex
CREATE INDEX "sso_login_attempts_provider_id_idx" ON "sso_login_attempts"("provider_id");

-- CreateIndex
CREATE INDEX "organization_members_source_rule_id_idx" ON "organization_members"("source_rule_id");

-- CreateIndex
CREATE INDEX "team_members_source_rule_id_idx" ON "team_members"("source_rule_id");

-- CreateIndex
CREATE INDEX "sessions_idp_provider_id_idp_sid_idx" ON "sessions"("idp_provider_id", "idp_sid");

-- AddForeignKey
ALTER TABLE "organization_members" ADD CONSTRAINT "organization_members_source_rule_id_fkey" FOREIGN KEY ("source_rule_id") REFERENCES "identity_provider_group_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_source_rule_id_fkey" FOREIGN KEY ("source_rule_id") REFERENCES "identity_provider_group_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_idp_provider_id_fkey" FOREIGN KEY ("idp_provider_id") REFERENCES "identity_providers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_providers" ADD CONSTRAINT "identity_providers_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_provider_group_rules" ADD CONSTRAINT "identity_provider_group_rules_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "identity_providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_provider_group_rules" ADD CONSTRAINT "identity_provider_group_rules_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_provider_group_rules" ADD CONSTRAINT "identity_provider_group_rules_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_identities" ADD CONSTRAINT "user_identities_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "identity_providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_identities" ADD CONSTRAINT "user_identities_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sso_login_attempts" ADD CONSTRAINT "sso_login_attempts_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "identity_providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
