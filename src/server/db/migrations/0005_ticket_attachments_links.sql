-- Service desk, part two: attachments and links between tickets.

-- Files attached to a ticket, or to one of its comments. The bytes live in the database, so an upload that
-- fails writes nothing, and a database backup holds every attachment with its ticket. `internal` follows
-- the comment it belongs to: an attachment on an internal note is seen only by those who see the note.
CREATE TABLE ticket_attachments (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id      uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  comment_id     uuid REFERENCES ticket_comments (id) ON DELETE SET NULL,
  internal       boolean NOT NULL DEFAULT false,
  file_name      text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  content_type   text NOT NULL,
  size           integer NOT NULL CHECK (size >= 0),
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploader_id    uuid REFERENCES users (id),
  uploader_label text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  data           bytea NOT NULL
);
CREATE INDEX ticket_attachments_ticket_idx ON ticket_attachments (ticket_id, created_at, id);
CREATE INDEX ticket_attachments_comment_idx ON ticket_attachments (comment_id);

-- Links, each read from `from_id` to `to_id`:
--   problem:   the incident `from_id` is caused by the problem `to_id`;
--   parent:    `from_id` is a child of `to_id`;
--   duplicate: `from_id` was merged into `to_id` (written by the merge, never by hand).
-- A ticket has at most one link of each kind going out: one problem, one parent, one original.
CREATE TABLE ticket_links (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind       text NOT NULL CHECK (kind IN ('problem', 'parent', 'duplicate')),
  from_id    uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  to_id      uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ticket_links_not_self CHECK (from_id <> to_id),
  CONSTRAINT ticket_links_one_per_kind UNIQUE (from_id, kind)
);
CREATE INDEX ticket_links_to_idx ON ticket_links (to_id, kind);

-- Timeline events for attachments and links. `internal` hides an event from requesters (an attachment on
-- an internal note); routing events (0004) are hidden from requesters by kind.
ALTER TABLE ticket_events ADD COLUMN internal boolean NOT NULL DEFAULT false;
ALTER TABLE ticket_events DROP CONSTRAINT ticket_events_kind_check;
ALTER TABLE ticket_events ADD CONSTRAINT ticket_events_kind_check
  CHECK (kind IN ('created', 'status', 'field', 'routing', 'attachment', 'link'));

-- Resolved tickets close by themselves after this many days (the reopen window stays the shorter one).
UPDATE settings SET value = value || '{"autoCloseDays": 14}'::jsonb
  WHERE key = 'service_desk' AND NOT value ? 'autoCloseDays';
