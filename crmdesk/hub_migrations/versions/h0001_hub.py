"""the hub: merged rows, field clocks, the change log, conflicts, users and their scope; push and pull

Revision ID: h0001
Revises:
Create Date: 2026-12-02

The hub keeps every synced row as JSON (the values as the desks' SQLite stores them) with, per field, the
hybrid logical clock stamp and device of the value it holds, and a log of the changes it accepted, numbered
by a sequence under an advisory lock so a pull cursor never passes a change committed late.

Desks never touch the tables: they call crmdesk_push, crmdesk_pull and crmdesk_rows, SECURITY DEFINER
functions that check the caller (a PostgreSQL role mapped to a crmdesk user in hub_users), merge field by
field (the later stamp wins, ties by device id), refuse writes to rows outside the caller's scope, and give
each caller only the changes of rows its role may see (own, team or all; the public pool and the shared
reference tables to everyone). Conflicts (both sides changed a field since the pusher last synced, or a
delete met an edit) are stored with both values.
"""

from collections.abc import Sequence

from alembic import op

from crmdesk.models.sync_capture import QUIET_FIELDS

revision: str = 'h0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables every desk receives whole (entities._EVERYONES), and the columns through which a row without
# an owner of its own belongs to its parent (entities._PARENTS), in the order they are tried.
EVERYONES = ("targets", "users", "teams", "territories", "stages", "pipelines", "products", "price_lists",
             "price_list_items", "shared_settings", "contract_templates")
# The synced tables with an owner_id of their own (entities._in_scope reads it before any parent).
OWNED = ("activities", "contracts", "customers", "installments", "leads", "opportunities", "orders",
         "payment_plans", "quotes")
PARENTS = (("customer_id", "customers"), ("opportunity_id", "opportunities"), ("quote_id", "quotes"),
           ("order_id", "orders"), ("contract_id", "contracts"), ("plan_id", "payment_plans"),
           ("payment_id", "payments"))

TABLES = """
CREATE SEQUENCE hub_change_seq;
CREATE TABLE hub_users (
    pg_role text PRIMARY KEY,
    user_id text NOT NULL UNIQUE,
    role text NOT NULL,
    team_id text,
    scope text NOT NULL CHECK (scope IN ('own', 'team', 'all')),
    added_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE hub_devices (
    device_id text PRIMARY KEY,
    pg_role text NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_push_at timestamptz,
    last_pull_at timestamptz
);
CREATE TABLE hub_rows (
    table_name text NOT NULL,
    row_id text NOT NULL,
    data jsonb NOT NULL,
    -- Per field, the clock of the value held: {"field": {"h": stamp, "d": device, "s": hub seq, "u": user}}.
    clocks jsonb NOT NULL DEFAULT '{}'::jsonb,
    owner_id text,
    owner_team text,
    row_team text,
    everyone boolean NOT NULL DEFAULT false,
    PRIMARY KEY (table_name, row_id)
);
CREATE TABLE hub_changes (
    seq bigint PRIMARY KEY,
    change_id uuid NOT NULL,
    table_name text NOT NULL,
    row_id text NOT NULL,
    fields jsonb NOT NULL,
    hlcs jsonb NOT NULL,
    device_id text NOT NULL,
    user_id text,
    owner_id text,
    owner_team text,
    row_team text,
    everyone boolean NOT NULL,
    -- A change that moved the row out of someone's scope is theirs to see too (so their desk learns it moved).
    prev_owner_id text,
    prev_owner_team text,
    prev_row_team text,
    prev_everyone boolean NOT NULL DEFAULT false,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_hub_changes_owner ON hub_changes (owner_id, seq);
CREATE INDEX ix_hub_changes_row ON hub_changes (table_name, row_id, seq);
CREATE TABLE hub_applied (
    change_id uuid PRIMARY KEY,
    device_id text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE hub_conflicts (
    id bigserial PRIMARY KEY,
    table_name text NOT NULL,
    row_id text NOT NULL,
    field text NOT NULL,
    kept_value jsonb,
    other_value jsonb,
    kept_hlc text NOT NULL,
    other_hlc text NOT NULL,
    kept_device text,
    other_device text,
    kept_user text,
    other_user text,
    detected_at timestamptz NOT NULL DEFAULT now()
);
"""


def _parent_indexes() -> str:
    return "\n".join(f"CREATE INDEX ix_hub_rows_{column} ON hub_rows ((data->>'{column}')) "
                     f"WHERE data ? '{column}';" for column, _table in PARENTS)


def _scope_function() -> str:
    everyone = ", ".join(f"'{name}'" for name in EVERYONES)
    owned = ", ".join(f"'{name}'" for name in OWNED)
    parents = "\n".join(
        f"""    IF p_data->>'{column}' IS NOT NULL THEN
        SELECT r.owner_id, r.owner_team, r.row_team, r.everyone INTO owner_id, owner_team, row_team, everyone
          FROM hub_rows r WHERE r.table_name = '{table}' AND r.row_id = p_data->>'{column}';
        everyone := coalesce(everyone, false);
        RETURN;
    END IF;""" for column, table in PARENTS)
    return f"""
CREATE FUNCTION hub_row_scope(p_table text, p_data jsonb, OUT owner_id text, OUT owner_team text,
                              OUT row_team text, OUT everyone boolean)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_variable
BEGIN
    everyone := false;
    IF p_table IN ({everyone}) THEN
        everyone := true;
        RETURN;
    END IF;
    IF p_table IN ({owned}) THEN  -- the tables with an owner of their own (a missing owner is no owner)
        owner_id := p_data->>'owner_id';
        row_team := p_data->>'team_id';
        everyone := p_table = 'customers' AND owner_id IS NULL;  -- the public pool
        IF owner_id IS NOT NULL THEN
            SELECT u.data->>'team_id' INTO owner_team FROM hub_rows u
             WHERE u.table_name = 'users' AND u.row_id = owner_id;
        END IF;
        RETURN;
    END IF;
{parents}
    everyone := true;  -- neither an owner nor a parent: everyone's, as on the desks
END $$;
"""


FUNCTIONS = """
CREATE FUNCTION hub_visible(p_scope text, p_user text, p_team text, p_owner text, p_owner_team text,
                            p_row_team text, p_everyone boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(p_everyone, false) OR p_scope = 'all' OR coalesce(p_owner = p_user, false)
        OR (p_scope = 'team' AND CASE WHEN p_team IS NULL
                                      THEN p_owner IS NOT NULL AND p_owner_team IS NULL
                                      ELSE coalesce(p_owner_team = p_team, false)
                                           OR coalesce(p_row_team = p_team, false) END)
$$;

CREATE FUNCTION hub_caller() RETURNS hub_users
LANGUAGE plpgsql STABLE AS $$
DECLARE
    me hub_users;
BEGIN
    SELECT * INTO me FROM hub_users WHERE pg_role = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'crmdesk: % is not a user of this hub', session_user
            USING ERRCODE = '42501', HINT = 'not_a_hub_user';
    END IF;
    RETURN me;
END $$;

CREATE FUNCTION hub_scope_rows() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    pass integer;
BEGIN
    -- The rows in hub_scope_todo get their scope; a row that belongs through its parent is done again after
    -- its parent (a contact after its new customer, a quote line after its quote), up to three levels.
    FOR pass IN 1..3 LOOP
        UPDATE hub_rows r SET (owner_id, owner_team, row_team, everyone) =
               (SELECT s.owner_id, s.owner_team, s.row_team, s.everyone FROM hub_row_scope(r.table_name, r.data) s)
          FROM (SELECT DISTINCT table_name, row_id FROM hub_scope_todo) t
         WHERE t.table_name = r.table_name AND t.row_id = r.row_id
           AND (pass = 1 OR r.table_name NOT IN (OWNED_TABLES));
    END LOOP;
    DROP TABLE hub_scope_todo;
END $$;

CREATE FUNCTION crmdesk_push(p_device text, p_base bigint, p_changes jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me hub_users;
    ahead bigint;
    skipped integer;
    first_conflict bigint;
    result jsonb;
BEGIN
    me := hub_caller();
    SELECT coalesce(max(id), 0) INTO first_conflict FROM hub_conflicts;
    -- One push at a time: the sequence numbers of a push commit before the next push takes any, so a
    -- pull (which takes the lock shared) never passes a change that commits later.
    PERFORM pg_advisory_xact_lock(7262);
    SELECT max(split_part(h.value, '.', 1)::bigint) - (extract(epoch FROM clock_timestamp()) * 1000)::bigint
      INTO ahead FROM jsonb_array_elements(p_changes) c, jsonb_each_text(c->'h') h;
    IF ahead > 300000 THEN
        RAISE EXCEPTION 'crmdesk: the desk''s clock is % ms ahead of the hub', ahead
            USING ERRCODE = '22008', HINT = 'clock_ahead:' || ahead;
    END IF;
    INSERT INTO hub_devices AS d (device_id, pg_role, last_push_at) VALUES (p_device, session_user, now())
        ON CONFLICT (device_id) DO UPDATE SET last_push_at = now() WHERE d.pg_role = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'crmdesk: the device % belongs to another user', p_device USING ERRCODE = '42501';
    END IF;

    CREATE TEMP TABLE hub_in ON COMMIT DROP AS
        SELECT (c->>'id')::uuid AS change_id, c->>'t' AS table_name, c->>'r' AS row_id, c->>'u' AS user_id,
               c->'f' AS fields, c->'h' AS hlcs, o AS ord
          FROM jsonb_array_elements(p_changes) WITH ORDINALITY AS x(c, o);
    ANALYZE hub_in;  -- temp tables have no statistics: without them the joins below go quadratic
    DELETE FROM hub_in USING hub_applied a WHERE a.change_id = hub_in.change_id;  -- sent before: skipped
    GET DIAGNOSTICS skipped = ROW_COUNT;
    INSERT INTO hub_applied (change_id, device_id) SELECT change_id, p_device FROM hub_in;

    -- A row the caller may not see is not theirs to change.
    CREATE TEMP TABLE hub_refused ON COMMIT DROP AS
        SELECT i.change_id, i.table_name, i.row_id, i.table_name IN (OWNED_TABLES) AS has_owner, r.data->'owner_id' AS owner,
               r.clocks->'owner_id'->>'h' AS owner_hlc
          FROM hub_in i JOIN hub_rows r USING (table_name, row_id)
         WHERE NOT hub_visible(me.scope, me.user_id, me.team_id, r.owner_id, r.owner_team, r.row_team,
                               r.everyone);
    DELETE FROM hub_in USING hub_refused f WHERE f.change_id = hub_in.change_id;

    -- New rows sent once in this batch (most of a first push): every field is the first value the hub has
    -- of it, so they are stored and logged as they came, without judging field by field.
    CREATE TEMP TABLE hub_new ON COMMIT DROP AS
        SELECT fresh.*, nextval('hub_change_seq') AS seq
          FROM (SELECT i.* FROM hub_in i
                 WHERE NOT EXISTS (SELECT 1 FROM hub_rows r WHERE r.table_name = i.table_name AND r.row_id = i.row_id)
                   AND NOT EXISTS (SELECT 1 FROM hub_in o WHERE o.table_name = i.table_name AND o.row_id = i.row_id
                                                           AND o.change_id <> i.change_id)
                 ORDER BY i.ord) fresh;
    DELETE FROM hub_in USING hub_new n WHERE n.change_id = hub_in.change_id;
    INSERT INTO hub_rows (table_name, row_id, data, clocks)
        SELECT n.table_name, n.row_id, n.fields,
               coalesce((SELECT jsonb_object_agg(h.key, jsonb_build_object('h', h.value, 'd', p_device, 's', n.seq,
                                                                           'u', n.user_id))
                           FROM jsonb_each_text(n.hlcs) h), '{}'::jsonb)
          FROM hub_new n;
    CREATE TEMP TABLE hub_scope_todo ON COMMIT DROP AS SELECT table_name, row_id FROM hub_new;

    -- One value per field (the batch's latest), judged against the hub's.
    CREATE TEMP TABLE hub_judged ON COMMIT DROP AS
        WITH latest AS (
            SELECT DISTINCT ON (i.table_name, i.row_id, k.key)
                   i.change_id, i.table_name, i.row_id, k.key AS field, k.value, i.hlcs->>k.key AS hlc,
                   i.user_id, i.ord
              FROM hub_in i, jsonb_each(i.fields) k
             ORDER BY i.table_name, i.row_id, k.key, i.hlcs->>k.key DESC, i.ord DESC)
        SELECT l.*, e.hlc AS hub_hlc, e.device_id AS hub_device, e.user_id AS hub_user, r.data -> l.field AS hub_value,
               (e.hlc IS NULL OR (l.hlc, p_device) > (e.hlc, e.device_id)) AS wins,
               (e.hlc IS NOT NULL AND e.seq > p_base AND e.device_id <> p_device
                AND (r.data -> l.field) IS DISTINCT FROM l.value) AS concurrent
          FROM latest l
          LEFT JOIN hub_rows r USING (table_name, row_id)
          LEFT JOIN LATERAL (SELECT r.clocks->l.field->>'h' AS hlc, r.clocks->l.field->>'d' AS device_id,
                                    r.clocks->l.field->>'u' AS user_id, (r.clocks->l.field->>'s')::bigint AS seq) e
                 ON true;
    ANALYZE hub_judged;

    -- A delete that meets an edit made elsewhere since the pusher last synced: the delete is kept (as the
    -- later stamp of deleted_at), the other side is "not deleted", which the user can restore.
    INSERT INTO hub_conflicts (table_name, row_id, field, kept_value, other_value, kept_hlc, other_hlc,
                               kept_device, other_device, kept_user, other_user)
    SELECT j.table_name, j.row_id, 'deleted_at', j.value, 'null'::jsonb, j.hlc, e.hlc, p_device, e.device_id,
           j.user_id, e.user_id
      FROM hub_judged j
      JOIN hub_rows r ON r.table_name = j.table_name AND r.row_id = j.row_id
      JOIN LATERAL (SELECT f.value->>'h' AS hlc, f.value->>'d' AS device_id, f.value->>'u' AS user_id
                      FROM jsonb_each(r.clocks) f
                     WHERE (f.value->>'s')::bigint > p_base AND f.value->>'d' <> p_device
                       AND f.key NOT IN ('deleted_at', 'updated_at', 'updated_by')
                     ORDER BY f.value->>'h' DESC LIMIT 1) e ON true
     WHERE j.field = 'deleted_at' AND j.wins AND j.value <> 'null'::jsonb
       AND coalesce(j.hub_value, 'null'::jsonb) = 'null'::jsonb;
    -- An edit that meets a delete made elsewhere since the pusher last synced: the row stays deleted.
    INSERT INTO hub_conflicts (table_name, row_id, field, kept_value, other_value, kept_hlc, other_hlc,
                               kept_device, other_device, kept_user, other_user)
    SELECT i.table_name, i.row_id, 'deleted_at', r.data->'deleted_at', 'null'::jsonb, r.clocks->'deleted_at'->>'h',
           i.hlc, r.clocks->'deleted_at'->>'d', p_device, r.clocks->'deleted_at'->>'u', i.user_id
      FROM (SELECT table_name, row_id, max(hlc) AS hlc, min(user_id) AS user_id FROM hub_judged
             WHERE field NOT IN ('updated_at', 'updated_by') GROUP BY table_name, row_id
            HAVING NOT bool_or(field = 'deleted_at')) i
      JOIN hub_rows r ON r.table_name = i.table_name AND r.row_id = i.row_id
     WHERE coalesce(r.data->'deleted_at', 'null'::jsonb) <> 'null'::jsonb
       AND (r.clocks->'deleted_at'->>'s')::bigint > p_base AND r.clocks->'deleted_at'->>'d' <> p_device;
    -- Two values of one field.
    INSERT INTO hub_conflicts (table_name, row_id, field, kept_value, other_value, kept_hlc, other_hlc,
                               kept_device, other_device, kept_user, other_user)
    SELECT table_name, row_id, field,
           CASE WHEN wins THEN value ELSE hub_value END, CASE WHEN wins THEN hub_value ELSE value END,
           CASE WHEN wins THEN hlc ELSE hub_hlc END, CASE WHEN wins THEN hub_hlc ELSE hlc END,
           CASE WHEN wins THEN p_device ELSE hub_device END, CASE WHEN wins THEN hub_device ELSE p_device END,
           CASE WHEN wins THEN user_id ELSE hub_user END, CASE WHEN wins THEN hub_user ELSE user_id END
      FROM hub_judged WHERE concurrent AND field NOT IN (QUIET_FIELDS);

    -- The winners: a sequence number per change, then the rows, their scope, field clocks and the log.
    CREATE TEMP TABLE hub_seqs ON COMMIT DROP AS
        SELECT change_id, nextval('hub_change_seq') AS seq
          FROM (SELECT change_id, min(ord) AS first FROM hub_judged WHERE wins GROUP BY change_id
                 ORDER BY first) ordered;
    ANALYZE hub_seqs;
    CREATE TEMP TABLE hub_touched ON COMMIT DROP AS
        SELECT DISTINCT j.table_name, j.row_id, r.owner_id, r.owner_team, r.row_team, r.everyone,
               r.row_id IS NULL AS created
          FROM hub_judged j LEFT JOIN hub_rows r USING (table_name, row_id) WHERE j.wins;
    ANALYZE hub_touched;
    INSERT INTO hub_rows AS r (table_name, row_id, data, clocks)
        SELECT j.table_name, j.row_id, jsonb_object_agg(j.field, j.value),
               jsonb_object_agg(j.field, jsonb_build_object('h', j.hlc, 'd', p_device, 's', s.seq, 'u', j.user_id))
          FROM hub_judged j JOIN hub_seqs s USING (change_id) WHERE j.wins
         GROUP BY j.table_name, j.row_id
        ON CONFLICT (table_name, row_id) DO UPDATE SET data = r.data || EXCLUDED.data,
                                                       clocks = r.clocks || EXCLUDED.clocks;
    INSERT INTO hub_scope_todo SELECT table_name, row_id FROM hub_touched;
    PERFORM hub_scope_rows();
    INSERT INTO hub_changes (seq, change_id, table_name, row_id, fields, hlcs, device_id, user_id, owner_id,
                             owner_team, row_team, everyone, prev_owner_id, prev_owner_team, prev_row_team,
                             prev_everyone)
        SELECT s.seq, j.change_id, j.table_name, j.row_id, jsonb_object_agg(j.field, j.value),
               jsonb_object_agg(j.field, j.hlc), p_device, min(j.user_id), r.owner_id, r.owner_team, r.row_team,
               r.everyone, t.owner_id, t.owner_team, t.row_team, coalesce(t.everyone, false)
          FROM hub_judged j JOIN hub_seqs s USING (change_id) JOIN hub_rows r USING (table_name, row_id)
          JOIN hub_touched t USING (table_name, row_id)
         WHERE j.wins
         GROUP BY s.seq, j.change_id, j.table_name, j.row_id, r.owner_id, r.owner_team, r.row_team, r.everyone,
                  t.owner_id, t.owner_team, t.row_team, t.everyone;

    INSERT INTO hub_changes (seq, change_id, table_name, row_id, fields, hlcs, device_id, user_id, owner_id,
                             owner_team, row_team, everyone)
        SELECT n.seq, n.change_id, n.table_name, n.row_id, n.fields, n.hlcs, p_device, n.user_id, r.owner_id,
               r.owner_team, r.row_team, r.everyone
          FROM hub_new n JOIN hub_rows r USING (table_name, row_id);

    -- A row that changed hands: its descendants follow, and the row and they are logged whole again so
    -- the desks now entitled to them receive them.
    PERFORM hub_rescope(me, p_device);

    SELECT jsonb_build_object(
        'applied', (SELECT count(*) FROM hub_in) + (SELECT count(*) FROM hub_new),
        'skipped', skipped,
        -- Refused: the row is someone else's now (e.g. claimed first from the pool); its owner is told so the
        -- desk can hand it over, nothing else of it.
        'refused', (SELECT coalesce(jsonb_agg(jsonb_build_object('t', table_name, 'r', row_id, 'has_owner', has_owner,
                                                                 'owner', owner, 'h', owner_hlc)), '[]'::jsonb)
                      FROM hub_refused),
        'lost', (SELECT coalesce(jsonb_agg(jsonb_build_object('t', table_name, 'r', row_id, 'f', field,
                                                              'v', hub_value, 'h', hub_hlc)), '[]'::jsonb)
                   FROM hub_judged WHERE NOT wins),
        'conflicts', (SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]'::jsonb)
                        FROM hub_conflicts c WHERE c.id > first_conflict),
        'seq', greatest((SELECT coalesce(max(seq), 0) FROM hub_seqs), (SELECT coalesce(max(seq), 0) FROM hub_new)))
      INTO result;
    RETURN result;
END $$;

CREATE FUNCTION hub_rescope(me hub_users, p_device text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    depth integer := 0;
BEGIN
    CREATE TEMP TABLE hub_moved ON COMMIT DROP AS
        SELECT r.table_name, r.row_id FROM hub_rows r JOIN hub_touched t USING (table_name, row_id)
         WHERE NOT t.created AND (r.owner_id, r.owner_team, r.row_team, r.everyone)
                   IS DISTINCT FROM (t.owner_id, t.owner_team, t.row_team, t.everyone);
    CREATE TEMP TABLE hub_wave ON COMMIT DROP AS SELECT * FROM hub_moved;
    WHILE depth < 4 AND EXISTS (SELECT 1 FROM hub_wave) LOOP
        CREATE TEMP TABLE hub_next ON COMMIT DROP AS
            SELECT c.table_name, c.row_id
              FROM hub_wave w
              JOIN hub_rows c ON c.data->>(CASE w.table_name PARENT_CASES END) = w.row_id
             WHERE c.table_name NOT IN (OWNED_TABLES);
        UPDATE hub_rows r SET (owner_id, owner_team, row_team, everyone) =
               (SELECT s.owner_id, s.owner_team, s.row_team, s.everyone FROM hub_row_scope(r.table_name, r.data) s)
          FROM hub_next n WHERE n.table_name = r.table_name AND n.row_id = r.row_id;
        INSERT INTO hub_moved SELECT * FROM hub_next;
        DROP TABLE hub_wave;
        ALTER TABLE hub_next RENAME TO hub_wave;
        depth := depth + 1;
    END LOOP;
    INSERT INTO hub_changes (seq, change_id, table_name, row_id, fields, hlcs, device_id, user_id, owner_id,
                             owner_team, row_team, everyone)
        SELECT nextval('hub_change_seq'), gen_random_uuid(), r.table_name, r.row_id, r.data,
               (SELECT jsonb_object_agg(f.key, f.value->'h') FROM jsonb_each(r.clocks) f),
               'hub', me.user_id, r.owner_id, r.owner_team, r.row_team, r.everyone
          FROM (SELECT DISTINCT table_name, row_id FROM hub_moved) m
          JOIN hub_rows r USING (table_name, row_id);
    DROP TABLE hub_moved;
    DROP TABLE hub_wave;
END $$;

CREATE FUNCTION crmdesk_pull(p_device text, p_after bigint, p_limit integer) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me hub_users;
    top bigint;
    found_rows jsonb;
    taken integer;
    last bigint;
BEGIN
    me := hub_caller();
    PERFORM pg_advisory_xact_lock_shared(7262);  -- no push is between taking numbers and committing
    SELECT coalesce(max(seq), 0) INTO top FROM hub_changes;
    -- Each change with the fields it still holds the hub's value of: a field changed again later comes with
    -- that later change, or was this desk's own (which it has), and must not overwrite it with the older value.
    -- A user's password hash goes to that user's desks only.
    SELECT coalesce(jsonb_agg(jsonb_build_object('s', seq, 't', table_name, 'r', row_id,
                                                 'f', CASE WHEN table_name = 'users' AND row_id <> me.user_id
                                                           THEN fields - 'password_hash' ELSE fields END,
                                                 'h', hlcs, 'd', device_id, 'u', user_id) ORDER BY seq)
                        FILTER (WHERE fields <> '{}'::jsonb), '[]'::jsonb), count(*), max(seq)
      INTO found_rows, taken, last
      FROM (SELECT c.seq, c.table_name, c.row_id, c.device_id, c.user_id,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM hub_changes later
                                          WHERE later.table_name = c.table_name AND later.row_id = c.row_id
                                            AND later.seq > c.seq)
                        THEN c.fields  -- the row's latest change: every field is still the hub's
                        ELSE coalesce((SELECT jsonb_object_agg(k.key, k.value)
                                         FROM hub_rows r, jsonb_each(c.fields) k
                                        WHERE r.table_name = c.table_name AND r.row_id = c.row_id
                                          AND coalesce((r.clocks->k.key->>'s')::bigint, 0) <= c.seq),
                                      '{}'::jsonb) END AS fields,
                   c.hlcs
              FROM hub_changes c
             WHERE c.seq > p_after AND c.seq <= top AND c.device_id <> p_device
               AND (hub_visible(me.scope, me.user_id, me.team_id, c.owner_id, c.owner_team, c.row_team,
                                c.everyone)
                    OR hub_visible(me.scope, me.user_id, me.team_id, c.prev_owner_id, c.prev_owner_team,
                                   c.prev_row_team, c.prev_everyone))
             ORDER BY c.seq LIMIT p_limit) page;
    UPDATE hub_devices SET last_pull_at = now() WHERE device_id = p_device AND pg_role = session_user;
    RETURN jsonb_build_object('changes', found_rows, 'more', taken >= p_limit,
                              'cursor', CASE WHEN taken >= p_limit THEN last ELSE top END, 'top', top);
END $$;

CREATE FUNCTION crmdesk_rows(p_table text, p_ids text[]) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me hub_users;
    found_rows jsonb;
BEGIN
    me := hub_caller();
    SELECT coalesce(jsonb_agg(jsonb_build_object('r', r.row_id,
                                                 'data', CASE WHEN r.table_name = 'users' AND r.row_id <> me.user_id
                                                              THEN r.data - 'password_hash' ELSE r.data END,
                                                 'h', (SELECT jsonb_object_agg(f.key, f.value->'h')
                                                         FROM jsonb_each(r.clocks) f))),
                    '[]'::jsonb)
      INTO found_rows
      FROM hub_rows r
     WHERE r.table_name = p_table AND r.row_id = ANY (p_ids)
       AND hub_visible(me.scope, me.user_id, me.team_id, r.owner_id, r.owner_team, r.row_team, r.everyone);
    RETURN found_rows;
END $$;

CREATE FUNCTION crmdesk_conflicts(p_device text, p_after bigint) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me hub_users;
    found_rows jsonb;
BEGIN
    me := hub_caller();
    SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]'::jsonb) INTO found_rows
      FROM hub_conflicts c WHERE c.id > p_after AND (c.other_device = p_device OR c.kept_device = p_device);
    RETURN found_rows;
END $$;
"""

PRIVILEGES = """
CREATE ROLE crmdesk_desk NOLOGIN;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crmdesk_push(text, bigint, jsonb), crmdesk_pull(text, bigint, integer),
      crmdesk_rows(text, text[]), crmdesk_conflicts(text, bigint) TO crmdesk_desk;
"""


def _parent_cases() -> str:
    return " ".join(f"WHEN '{table}' THEN '{column}'" for column, table in PARENTS)


def upgrade() -> None:
    op.execute(TABLES)
    op.execute(_parent_indexes())
    op.execute(_scope_function())
    op.execute(FUNCTIONS.replace("PARENT_CASES", _parent_cases())
               .replace("QUIET_FIELDS", ", ".join(f"'{name}'" for name in QUIET_FIELDS))
               .replace("OWNED_TABLES", ", ".join(f"'{name}'" for name in OWNED)))
    op.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crmdesk_desk') THEN "
               "CREATE ROLE crmdesk_desk NOLOGIN; END IF; END $$;")
    op.execute(PRIVILEGES.replace("CREATE ROLE crmdesk_desk NOLOGIN;\n", ""))


def downgrade() -> None:
    raise NotImplementedError("the hub is not downgraded; restore its PostgreSQL backup instead")
