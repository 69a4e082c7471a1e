-- Data only. Manual blocks placed before authors and levels were recorded have no level, and
-- a null level could be lifted by anyone who may block. Nobody knows who placed them, so they
-- take the conservative level: organization admins and system admins may lift them, team
-- admins may not (a team without an organization: system admins only).
UPDATE "team_blocks" SET "level" = 'organization' WHERE "reason" = 'manual' AND "level" IS NULL;

UPDATE "api_key_blocks" SET "level" = 'organization' WHERE "reason" = 'manual' AND "level" IS NULL;
