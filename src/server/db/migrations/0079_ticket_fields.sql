-- Custom fields, ticket templates and recurring tickets (issue 27). The tickets module owns every table here.
-- A field applies to ticket types and, optionally, only to some categories (none listed: every category).
-- Values are stored as canonical text (numbers as written by JSON, dates as YYYY-MM-DD, checkboxes
-- 'true'/'false'), so the queue filters on one equality and the search document reads them as words.
CREATE TABLE ticket_fields (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key               text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label             text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('text', 'number', 'date', 'choice', 'checkbox')),
  options           jsonb NOT NULL DEFAULT '[]'::jsonb,
  required          boolean NOT NULL DEFAULT false,
  types             text[] NOT NULL,
  category_ids      uuid[] NOT NULL DEFAULT '{}',
  requester_visible boolean NOT NULL DEFAULT false,
  position          integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  version           integer NOT NULL DEFAULT 1,
  CONSTRAINT ticket_fields_key_key UNIQUE (key)
);

CREATE TABLE ticket_field_values (
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  field_id  uuid NOT NULL REFERENCES ticket_fields (id) ON DELETE CASCADE,
  value     text NOT NULL,
  PRIMARY KEY (ticket_id, field_id)
);
-- The queue filter `field.<key>=value`.
CREATE INDEX ticket_field_values_field_idx ON ticket_field_values (field_id, value);

-- The search documents also carry the values of the ticket's fields (weight B, like the description);
-- requesters search only the fields they are shown.
CREATE OR REPLACE FUNCTION tickets_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pub text;
  everything text;
  fpub text;
  fall text;
  head tsvector;
BEGIN
  SELECT left(coalesce(string_agg(body, ' ' ORDER BY seq) FILTER (WHERE NOT internal), ''), 200000),
         left(coalesce(string_agg(body, ' ' ORDER BY seq), ''), 200000)
    INTO pub, everything
    FROM ticket_comments WHERE ticket_id = NEW.id;
  SELECT coalesce(string_agg(v.value, ' ') FILTER (WHERE f.requester_visible), ''),
         coalesce(string_agg(v.value, ' '), '')
    INTO fpub, fall
    FROM ticket_field_values v JOIN ticket_fields f ON f.id = v.field_id
   WHERE v.ticket_id = NEW.id AND f.kind <> 'checkbox';
  head := setweight(to_tsvector('simple', NEW.title || ' ' || search_compounds(NEW.title)), 'A')
       || setweight(to_tsvector('simple', NEW.description || ' ' || search_compounds(NEW.description)), 'B');
  NEW.search_public := head
       || setweight(to_tsvector('simple', fpub || ' ' || search_compounds(fpub)), 'B')
       || setweight(to_tsvector('simple', pub || ' ' || search_compounds(pub)), 'C');
  NEW.search_all := head
       || setweight(to_tsvector('simple', fall || ' ' || search_compounds(fall)), 'B')
       || setweight(to_tsvector('simple', everything || ' ' || search_compounds(everything)), 'C');
  RETURN NEW;
END $$;

-- A changed value re-runs its ticket's search trigger (SET title = title fires UPDATE OF title).
CREATE FUNCTION ticket_field_values_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets SET title = title
   WHERE id IN (SELECT ticket_id FROM changed);
  RETURN NULL;
END $$;
CREATE TRIGGER ticket_field_values_search_ins AFTER INSERT ON ticket_field_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ticket_field_values_search();
CREATE TRIGGER ticket_field_values_search_upd AFTER UPDATE ON ticket_field_values
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ticket_field_values_search();
CREATE TRIGGER ticket_field_values_search_del AFTER DELETE ON ticket_field_values
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ticket_field_values_search();

-- Named presets agents pick when opening a ticket.
CREATE TABLE ticket_templates (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name              text NOT NULL,
  type              text NOT NULL CHECK (type IN ('incident', 'request', 'problem')),
  category_id       uuid REFERENCES categories (id) ON DELETE SET NULL,
  team_id           uuid REFERENCES teams (id) ON DELETE SET NULL,
  priority          smallint CHECK (priority BETWEEN 1 AND 6),
  title             text NOT NULL,
  description       text NOT NULL DEFAULT '',
  fields            jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  version           integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ticket_templates_name_key ON ticket_templates (lower(name));

-- A template opened on a schedule (a cron pattern in a time zone). `next_run_at` is claimed atomically:
-- UPDATE ... WHERE next_run_at = <the value read> decides which process opens the ticket.
CREATE TABLE ticket_recurrences (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text NOT NULL,
  template_id    uuid NOT NULL REFERENCES ticket_templates (id) ON DELETE CASCADE,
  requester_id   uuid NOT NULL REFERENCES users (id),
  cron           text NOT NULL,
  timezone       text NOT NULL DEFAULT 'UTC',
  enabled        boolean NOT NULL DEFAULT true,
  next_run_at    timestamptz NOT NULL,
  last_run_at    timestamptz,
  last_ticket_id uuid REFERENCES tickets (id) ON DELETE SET NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  version        integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX ticket_recurrences_name_key ON ticket_recurrences (lower(name));
CREATE INDEX ticket_recurrences_due_idx ON ticket_recurrences (next_run_at) WHERE enabled;
