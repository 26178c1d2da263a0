-- Recovery point monitoring (issue 22, item 6): what each agent last saw changed since its last good snapshot,
-- and the one open alert (with its incident) per device whose backups breach their RPO or keep failing.

-- Files changed under the policy's folders since the last good snapshot, as the agent last counted them.
CREATE TABLE backup_changes (
  ci_id    uuid PRIMARY KEY REFERENCES cis (id) ON DELETE CASCADE,
  -- The snapshot time the agent counted from (null: it knew of none, so every file counted).
  since    timestamptz,
  files    integer NOT NULL CHECK (files >= 0),
  seen_at  timestamptz NOT NULL
);

-- An alert about a device: opened once (the partial unique index makes a second open a no-op, however many
-- evaluations race), closed when the device is healthy again.
CREATE TABLE backup_alerts (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ci_id         uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  reason        text NOT NULL CHECK (reason IN ('rpo_breached', 'failing')),
  ticket_id     uuid REFERENCES tickets (id) ON DELETE SET NULL,
  ticket_key    text,
  opened_at     timestamptz NOT NULL DEFAULT now(),
  closed_at     timestamptz,
  close_reason  text CHECK (length(close_reason) <= 500)
);
CREATE UNIQUE INDEX backup_alerts_open_key ON backup_alerts (ci_id) WHERE closed_at IS NULL;
CREATE INDEX backup_alerts_ci_idx ON backup_alerts (ci_id, opened_at DESC);
