-- Service desk: categories, settings (priority matrix, reopen window), tickets with per-type numbers,
-- comments, watchers, the ticket timeline (events), full-text search, saved views.
-- Runs on PostgreSQL 15 and on PGlite (Postgres 18): no uuidv7(), no virtual generated columns.

-- An admin-edited tree. Names are unique among siblings (the root level counts as one parent).
CREATE TABLE categories (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id   uuid REFERENCES categories (id) ON DELETE RESTRICT,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX categories_sibling_name_key
  ON categories (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name));
CREATE INDEX categories_parent_idx ON categories (parent_id);

-- Small typed documents edited by admins (validated by the settings module).
CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  version    integer NOT NULL DEFAULT 1
);
INSERT INTO settings (key, value) VALUES
  ('priority_matrix', '[[1,1,2,2,2],[1,2,2,3,3],[2,2,3,4,4],[2,3,4,4,5],[2,3,4,5,5]]'),
  ('service_desk', '{"reopenWindowDays": 7}');

-- One counter per ticket type; the creating transaction takes the row lock with UPDATE … RETURNING, so two
-- creators never get the same number (a rolled-back creator leaves a gap, which is allowed).
CREATE TABLE ticket_counters (
  type text PRIMARY KEY CHECK (type IN ('incident', 'request', 'problem')),
  last integer NOT NULL DEFAULT 0
);
INSERT INTO ticket_counters (type) VALUES ('incident'), ('request'), ('problem');

CREATE TABLE tickets (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type               text NOT NULL CHECK (type IN ('incident', 'request', 'problem')),
  number             integer NOT NULL,
  title              text NOT NULL,
  description        text NOT NULL DEFAULT '',
  requester_id       uuid NOT NULL REFERENCES users (id),
  team_id            uuid REFERENCES teams (id) ON DELETE SET NULL,
  assignee_id        uuid REFERENCES users (id),
  category_id        uuid REFERENCES categories (id) ON DELETE RESTRICT,
  impact             smallint NOT NULL CHECK (impact BETWEEN 1 AND 5),
  urgency            smallint NOT NULL CHECK (urgency BETWEEN 1 AND 5),
  priority           smallint NOT NULL CHECK (priority BETWEEN 1 AND 6),
  priority_override  boolean NOT NULL DEFAULT false,
  status             text NOT NULL CHECK (status IN ('new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled')),
  pending_reason     text CHECK (pending_reason IN ('requester', 'vendor', 'change')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  first_response_at  timestamptz,
  resolved_at        timestamptz,
  closed_at          timestamptz,
  csat_rating        smallint CHECK (csat_rating BETWEEN 1 AND 5),
  csat_comment       text,
  -- Full-text search: what requesters may search (title, description, public replies) and what agents may
  -- (the same plus internal notes). Maintained by triggers, so no write path can forget them.
  search_public      tsvector NOT NULL DEFAULT ''::tsvector,
  search_all         tsvector NOT NULL DEFAULT ''::tsvector,
  version            integer NOT NULL DEFAULT 1,
  CONSTRAINT tickets_number_key UNIQUE (type, number),
  CONSTRAINT tickets_pending_needs_reason CHECK ((status = 'pending') = (pending_reason IS NOT NULL))
);
-- Keyset indexes for each sort (created, updated, priority, number), and for the common queue filters.
CREATE INDEX tickets_created_idx ON tickets (created_at, id);
CREATE INDEX tickets_updated_idx ON tickets (updated_at, id);
CREATE INDEX tickets_priority_idx ON tickets (priority, id);
CREATE INDEX tickets_number_idx ON tickets (number, id);
CREATE INDEX tickets_status_idx ON tickets (status, created_at, id);
CREATE INDEX tickets_team_idx ON tickets (team_id, status, created_at, id);
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, status, created_at, id);
CREATE INDEX tickets_requester_idx ON tickets (requester_id, created_at, id);
CREATE INDEX tickets_category_idx ON tickets (category_id);
CREATE INDEX tickets_search_public_idx ON tickets USING gin (search_public);
CREATE INDEX tickets_search_all_idx ON tickets USING gin (search_all);

-- One sequence orders the whole timeline (comments and events) in the order the writes happened.
CREATE SEQUENCE ticket_timeline_seq;

CREATE TABLE ticket_comments (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq        bigint NOT NULL DEFAULT nextval('ticket_timeline_seq'),
  ticket_id  uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  author_id  uuid REFERENCES users (id),
  author_label text NOT NULL,
  body       text NOT NULL,
  internal   boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, seq);

-- Field and status changes, written in the same transaction as each change.
CREATE TABLE ticket_events (
  id          bigserial PRIMARY KEY,
  seq         bigint NOT NULL DEFAULT nextval('ticket_timeline_seq'),
  ticket_id   uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id    uuid,
  actor_label text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('created', 'status', 'field')),
  field       text,
  old_value   jsonb,
  new_value   jsonb
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, seq);

CREATE TABLE ticket_watchers (
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  added_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, user_id)
);
-- Visibility asks "does this user watch the ticket" for every row of a requester's list.
CREATE INDEX ticket_watchers_user_idx ON ticket_watchers (user_id, ticket_id);

-- The search documents. The comment text is capped so a very long thread cannot exceed tsvector's 1 MB.
CREATE FUNCTION tickets_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pub text;
  everything text;
  head tsvector;
BEGIN
  SELECT left(coalesce(string_agg(body, ' ' ORDER BY seq) FILTER (WHERE NOT internal), ''), 200000),
         left(coalesce(string_agg(body, ' ' ORDER BY seq), ''), 200000)
    INTO pub, everything
    FROM ticket_comments WHERE ticket_id = NEW.id;
  head := setweight(to_tsvector('simple', NEW.title), 'A') || setweight(to_tsvector('simple', NEW.description), 'B');
  NEW.search_public := head || setweight(to_tsvector('simple', pub), 'C');
  NEW.search_all := head || setweight(to_tsvector('simple', everything), 'C');
  RETURN NEW;
END $$;
CREATE TRIGGER tickets_search BEFORE INSERT OR UPDATE OF title, description ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_search_refresh();

-- A new comment re-runs the ticket's search trigger (SET title = title fires UPDATE OF title).
CREATE FUNCTION ticket_comments_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets SET title = title WHERE id = NEW.ticket_id;
  RETURN NULL;
END $$;
CREATE TRIGGER ticket_comments_search AFTER INSERT ON ticket_comments
  FOR EACH ROW EXECUTE FUNCTION ticket_comments_search();

-- Saved ticket filters, private to their owner.
CREATE TABLE saved_views (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name       text NOT NULL,
  filters    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version    integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX saved_views_owner_name_key ON saved_views (owner_id, lower(name));
