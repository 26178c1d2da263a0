-- Company backups (issue 22): each backup run an agent reports, and what it says about the device's recovery
-- point (the last good snapshot).
CREATE TABLE backup_runs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ci_id             uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  started_at        timestamptz NOT NULL,
  finished_at       timestamptz NOT NULL,
  status            text NOT NULL CHECK (status IN ('succeeded', 'partial', 'failed')),
  snapshot_id       text CHECK (snapshot_id ~ '^[0-9a-f]{64}$'),
  files_new         integer NOT NULL DEFAULT 0,
  files_changed     integer NOT NULL DEFAULT 0,
  files_unmodified  integer NOT NULL DEFAULT 0,
  bytes_processed   bigint NOT NULL DEFAULT 0,
  bytes_added       bigint NOT NULL DEFAULT 0,
  warnings          jsonb NOT NULL DEFAULT '[]',
  error             text,
  reported_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (finished_at >= started_at),
  CHECK ((status = 'failed') = (snapshot_id IS NULL))
);
CREATE INDEX backup_runs_ci_idx ON backup_runs (ci_id, started_at DESC);
CREATE INDEX backup_runs_good_idx ON backup_runs (ci_id, started_at DESC) WHERE status <> 'failed';
