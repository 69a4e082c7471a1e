-- The API may answer session lookups from an in-process cache (apps/api auth/session-cache.ts).
-- Every change that can end a session or change what its user may do is announced on the
-- channel gatehouse_auth when its transaction commits, whoever makes it (a procedure, the
-- worker, the CLI, an operator's SQL), so every instance's cache drops what it holds.
-- The payload is the user's id; a TRUNCATE sends an empty one (everyone).
CREATE FUNCTION gatehouse_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    PERFORM pg_notify('gatehouse_auth', '');
  ELSE
    PERFORM pg_notify(
      'gatehouse_auth',
      to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0]
    );
  END IF;
  RETURN NULL;
END
$$;

-- Sessions: a revoke, a shortened or moved expiry, a deletion. The sliding-expiry touch (a
-- later idle_expires_at, written at most once a minute per session) is not announced: a
-- cache that holds the older expiry only asks the database sooner.
CREATE TRIGGER sessions_auth_changed
  AFTER UPDATE ON "sessions" FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at
        OR NEW.idle_expires_at < OLD.idle_expires_at
        OR OLD.absolute_expires_at IS DISTINCT FROM NEW.absolute_expires_at
        OR OLD.user_id <> NEW.user_id
        OR OLD.token_hash <> NEW.token_hash)
  EXECUTE FUNCTION gatehouse_auth_changed('user_id');
CREATE TRIGGER sessions_auth_deleted
  AFTER DELETE ON "sessions" FOR EACH ROW EXECUTE FUNCTION gatehouse_auth_changed('user_id');
CREATE TRIGGER sessions_auth_truncated
  AFTER TRUNCATE ON "sessions" FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_auth_changed();

-- Users: disabled or enabled, system admin granted or taken, deleted.
CREATE TRIGGER users_auth_changed
  AFTER UPDATE ON "users" FOR EACH ROW
  WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active
        OR OLD.is_system_admin IS DISTINCT FROM NEW.is_system_admin)
  EXECUTE FUNCTION gatehouse_auth_changed('id');
CREATE TRIGGER users_auth_deleted
  AFTER DELETE ON "users" FOR EACH ROW EXECUTE FUNCTION gatehouse_auth_changed('id');
CREATE TRIGGER users_auth_truncated
  AFTER TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_auth_changed();

-- Organization memberships: a session carries its user's org-admin organizations.
CREATE TRIGGER organization_members_auth_changed
  AFTER INSERT OR UPDATE OR DELETE ON "organization_members" FOR EACH ROW
  EXECUTE FUNCTION gatehouse_auth_changed('user_id');
CREATE TRIGGER organization_members_auth_truncated
  AFTER TRUNCATE ON "organization_members" FOR EACH STATEMENT
  EXECUTE FUNCTION gatehouse_auth_changed();
