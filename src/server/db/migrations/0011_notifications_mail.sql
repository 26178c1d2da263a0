-- Notifications (in-app and e-mail, with preferences and editable templates) and the mail log that threads
-- e-mail into tickets (issue 4, items 4 and 5).

CREATE TABLE notifications (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq         bigserial NOT NULL UNIQUE,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  event       text NOT NULL,
  ticket_id   uuid REFERENCES tickets (id) ON DELETE CASCADE,
  title       text NOT NULL,
  body        text NOT NULL,
  read_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user_idx ON notifications (user_id, seq DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- A user's choice per event; no row = the default (in-app and e-mail on).
CREATE TABLE notification_prefs (
  user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  event    text NOT NULL,
  in_app   boolean NOT NULL,
  email    boolean NOT NULL,
  PRIMARY KEY (user_id, event)
);

-- Admin-edited templates; no row = the built-in text.
CREATE TABLE notification_templates (
  event       text PRIMARY KEY,
  subject     text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  version     integer NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Every e-mail in and out. Outgoing mail is written here in the transaction that caused it and sent by a
-- job (so a rolled-back write sends nothing and a failed send is retried); incoming mail is recorded with
-- what became of it, and its Message-ID makes a redelivered message a no-op.
CREATE TABLE mail_messages (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq          bigserial NOT NULL UNIQUE,
  direction    text NOT NULL CHECK (direction IN ('in', 'out')),
  message_id   text NOT NULL CHECK (length(message_id) <= 998),
  in_reply_to  text,
  ticket_id    uuid REFERENCES tickets (id) ON DELETE SET NULL,
  address      text NOT NULL,
  subject      text NOT NULL,
  body         text,
  status       text NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'received', 'ignored', 'rejected')),
  detail       text,
  sha256       text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz
);
CREATE UNIQUE INDEX mail_messages_message_id_key ON mail_messages (direction, message_id);
CREATE INDEX mail_messages_ticket_idx ON mail_messages (ticket_id);
