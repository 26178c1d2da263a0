-- Company backups (issue 22): restore requests. Files of a device's snapshot restored by an agent (the device's
-- own, or a replacement's) into a chosen folder, never overwriting unless asked; claimed by one agent at a time,
-- with progress and a verification result; optionally carried out for a service request ticket.
CREATE TABLE backup_restores (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_ci_id        uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  snapshot_id         text NOT NULL CHECK (snapshot_id ~ '^[0-9a-f]{64}$'),
  paths               jsonb NOT NULL,
  dest_ci_id          uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  dest_folder         text NOT NULL,
  overwrite           text NOT NULL DEFAULT 'never' CHECK (overwrite IN ('never', 'if-newer', 'always')),
  state               text NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  ticket_id           uuid REFERENCES tickets (id) ON DELETE SET NULL,
  requested_by        uuid REFERENCES users (id) ON DELETE SET NULL,
  requested_label     text NOT NULL,
  claimed_by          uuid REFERENCES agents (id) ON DELETE SET NULL,
  claimed_at          timestamptz,
  heartbeat_at        timestamptz,
  finished_at         timestamptz,
  files_done          integer NOT NULL DEFAULT 0,
  files_total         integer NOT NULL DEFAULT 0,
  bytes_done          bigint NOT NULL DEFAULT 0,
  bytes_total         bigint NOT NULL DEFAULT 0,
  skipped             jsonb NOT NULL DEFAULT '[]',
  verified            boolean,
  problems            jsonb NOT NULL DEFAULT '[]',
  error               text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
-- An agent's next work: the oldest queued restore onto its device.
CREATE INDEX backup_restores_queue_idx ON backup_restores (dest_ci_id, created_at) WHERE state IN ('queued', 'running');
-- The endpoint's read-only grant: running restores of a device's snapshots.
CREATE INDEX backup_restores_source_idx ON backup_restores (source_ci_id) WHERE state = 'running';
CREATE INDEX backup_restores_ticket_idx ON backup_restores (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX backup_restores_created_idx ON backup_restores (created_at DESC);
