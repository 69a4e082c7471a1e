-- AlterTable
ALTER TABLE "team_spend" ADD COLUMN     "changed_at" TIMESTAMPTZ(3);

-- The alert evaluation's work list: the rows a sync changed and no evaluation has read yet
-- (a few per region between syncs, however many teams there are).
CREATE INDEX "team_spend_alert_pending_idx" ON "team_spend" ("region_id") WHERE "changed_at" IS NOT NULL;

-- Access events (core alerts.ts): every block reason added to or lifted from a team or a key
-- raises team.blocked / team.unblocked / key.blocked / key.unblocked, with its
-- events.dispatch job, in the transaction that changed the block. A trigger rather than a
-- call in each writer: blocks are added and lifted by about ten statements (manual blocks,
-- the expiry sweep, lapses, renewals, owner_disabled, owner_left, SSO sync, invitations...)
-- and by reasons still to come, and a statement-level trigger over the transition table is
-- one set-based INSERT ... SELECT per statement however many rows it touched. Ids are core
-- eventId's: (subject, reason, the block's created_at as epoch ms), so a block and its lift
-- name the same episode, and a row seen twice is one event (ON CONFLICT DO NOTHING).
-- A subject deleted with its blocks (cascade) raises nothing: the join finds no row.
CREATE FUNCTION gatehouse_team_block_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := CASE WHEN TG_OP = 'DELETE' THEN 'team.unblocked' ELSE 'team.blocked' END;
BEGIN
  WITH inserted AS (
    INSERT INTO events (id, type, organization_id, team_id, data, occurred_at)
    SELECT concat_ws('/', kind, c.team_id::text, c.reason::text,
                     (extract(epoch FROM c.created_at) * 1000)::bigint::text),
           kind, t.organization_id, c.team_id,
           CASE WHEN TG_OP = 'DELETE'
                THEN jsonb_build_object('teamId', c.team_id, 'reason', c.reason)
                ELSE jsonb_build_object('teamId', c.team_id, 'reason', c.reason, 'note', c.note) END,
           CASE WHEN TG_OP = 'DELETE' THEN now() ELSE c.created_at END
      FROM changed c JOIN teams t ON t.id = c.team_id
    ON CONFLICT (id) DO NOTHING
    RETURNING id)
  INSERT INTO jobs (kind, payload)
  SELECT 'events.dispatch', jsonb_build_object('eventId', id) FROM inserted;
  RETURN NULL;
END
$$;
CREATE TRIGGER team_blocks_events_added
  AFTER INSERT ON "team_blocks" REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_team_block_events();
CREATE TRIGGER team_blocks_events_lifted
  AFTER DELETE ON "team_blocks" REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_team_block_events();

CREATE FUNCTION gatehouse_key_block_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := CASE WHEN TG_OP = 'DELETE' THEN 'key.unblocked' ELSE 'key.blocked' END;
BEGIN
  WITH inserted AS (
    INSERT INTO events (id, type, organization_id, team_id, data, occurred_at)
    SELECT concat_ws('/', kind, c.api_key_id::text, c.reason::text,
                     (extract(epoch FROM c.created_at) * 1000)::bigint::text),
           kind, t.organization_id, k.team_id,
           CASE WHEN TG_OP = 'DELETE'
                THEN jsonb_build_object('teamId', k.team_id, 'keyId', k.id, 'keyName', k.name,
                                        'reason', c.reason)
                ELSE jsonb_build_object('teamId', k.team_id, 'keyId', k.id, 'keyName', k.name,
                                        'reason', c.reason, 'note', c.note) END,
           CASE WHEN TG_OP = 'DELETE' THEN now() ELSE c.created_at END
      FROM changed c JOIN api_keys k ON k.id = c.api_key_id JOIN teams t ON t.id = k.team_id
    ON CONFLICT (id) DO NOTHING
    RETURNING id)
  INSERT INTO jobs (kind, payload)
  SELECT 'events.dispatch', jsonb_build_object('eventId', id) FROM inserted;
  RETURN NULL;
END
$$;
CREATE TRIGGER api_key_blocks_events_added
  AFTER INSERT ON "api_key_blocks" REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_key_block_events();
CREATE TRIGGER api_key_blocks_events_lifted
  AFTER DELETE ON "api_key_blocks" REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_key_block_events();

-- product.lapsed, wherever a product attachment turns LAPSED (the expiry sweep's lapse
-- today); id (team, product, lapsed_at as epoch ms).
CREATE FUNCTION gatehouse_product_lapsed_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH inserted AS (
    INSERT INTO events (id, type, organization_id, team_id, data, occurred_at)
    SELECT concat_ws('/', 'product.lapsed', n.team_id::text, n.product_id::text,
                     (extract(epoch FROM COALESCE(n.lapsed_at, now())) * 1000)::bigint::text),
           'product.lapsed', t.organization_id, n.team_id,
           jsonb_build_object('teamId', n.team_id, 'productId', n.product_id,
                              'productName', p.name,
                              'lapsedAt', to_char(COALESCE(n.lapsed_at, now()) AT TIME ZONE 'UTC',
                                                  'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
           COALESCE(n.lapsed_at, now())
      FROM new_rows n
      JOIN old_rows o ON o.id = n.id
      JOIN teams t ON t.id = n.team_id
      JOIN products p ON p.id = n.product_id
     WHERE n.status = 'LAPSED' AND o.status <> 'LAPSED'
    ON CONFLICT (id) DO NOTHING
    RETURNING id)
  INSERT INTO jobs (kind, payload)
  SELECT 'events.dispatch', jsonb_build_object('eventId', id) FROM inserted;
  RETURN NULL;
END
$$;
CREATE TRIGGER team_products_events_lapsed
  AFTER UPDATE ON "team_products" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_product_lapsed_events();
