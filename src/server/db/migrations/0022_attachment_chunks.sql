-- Attachments: bytes in chunks, quotas per uploader.
--
-- An upload is spooled to a temporary file, then copied into the database one chunk at a time, and a download
-- streams the chunks back: neither ever holds a whole file in memory (one bytea column meant four parallel
-- 260 MB uploads took 1.7 GB of server memory). The bytes stay in the database, so a failed upload still
-- writes nothing and a database backup still holds every attachment with its ticket.
CREATE TABLE ticket_attachment_chunks (
  attachment_id uuid NOT NULL REFERENCES ticket_attachments (id) ON DELETE CASCADE,
  seq           integer NOT NULL CHECK (seq >= 0),
  data          bytea NOT NULL,
  PRIMARY KEY (attachment_id, seq)
);

INSERT INTO ticket_attachment_chunks (attachment_id, seq, data) SELECT id, 0, data FROM ticket_attachments;
ALTER TABLE ticket_attachments DROP COLUMN data;

-- The per-uploader quota sums an uploader's attachments.
CREATE INDEX ticket_attachments_uploader_idx ON ticket_attachments (uploader_id);
