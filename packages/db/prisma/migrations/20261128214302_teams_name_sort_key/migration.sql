-- DropIndex
DROP INDEX "teams_name_id_idx";

-- Hand-written (Prisma cannot express it): teams sorted by name, case-insensitive and in
-- the same order on every server whatever its collation. The sort key is the lower-cased
-- name compared byte by byte (COLLATE "C"); teams.list orders and pages (keyset) by exactly
-- this expression, so the index serves it in both directions.
CREATE INDEX "teams_name_sort_idx" ON "teams" ((lower("name") COLLATE "C"), "id");
