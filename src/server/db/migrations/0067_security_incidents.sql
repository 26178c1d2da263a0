-- Security incidents (issue 26, item 4): a ticket flagged `security` is seen only by the members of the security
-- teams (teams flagged `security`) and by admins; everyone else, managers included, is told it does not exist.
-- Its evidence log is append-only and hash-chained.

ALTER TABLE teams ADD COLUMN security boolean NOT NULL DEFAULT false;
ALTER TABLE tickets ADD COLUMN security boolean NOT NULL DEFAULT false;
CREATE INDEX tickets_security_idx ON tickets (id) WHERE security;

-- One entry of a security incident's evidence log: a note, and the SHA-256 of a piece of evidence (given, or the
-- hash of a ticket attachment). `hash` chains each entry to the one before it on the same ticket.
CREATE TABLE security_evidence (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id      uuid NOT NULL REFERENCES tickets (id),
  seq            integer NOT NULL CHECK (seq >= 1),
  at             timestamptz NOT NULL DEFAULT now(),
  actor_id       uuid,
  actor_label    text NOT NULL,
  note           text NOT NULL CHECK (length(note) BETWEEN 1 AND 4000),
  sha256         text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  attachment_id  uuid,
  file_name      text,
  prev_hash      text NOT NULL,
  hash           text NOT NULL,
  UNIQUE (ticket_id, seq)
);

CREATE FUNCTION security_evidence_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the evidence log is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER security_evidence_append_only BEFORE UPDATE OR DELETE ON security_evidence
  FOR EACH ROW EXECUTE FUNCTION security_evidence_append_only();
