-- Steward's own backup (issue 23): where and when the server backs up its database, configuration and audit
-- checkpoints (one settings row), and each run.
CREATE TABLE server_backup_settings (
  singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  enabled       boolean NOT NULL DEFAULT false,
  target_id     uuid REFERENCES backup_targets (id) ON DELETE SET NULL,
  folder        text NOT NULL DEFAULT 'steward-server' CHECK (folder ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
  cron          text NOT NULL DEFAULT '0 2 * * *',
  time_zone     text NOT NULL DEFAULT 'UTC',
  keep_daily    integer NOT NULL DEFAULT 14 CHECK (keep_daily BETWEEN 0 AND 3650),
  keep_weekly   integer NOT NULL DEFAULT 8 CHECK (keep_weekly BETWEEN 0 AND 520),
  keep_monthly  integer NOT NULL DEFAULT 12 CHECK (keep_monthly BETWEEN 0 AND 1200),
  -- Set while a run holds the backup (claimed atomically); a claim older than the run timeout is stale.
  running_since timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       integer NOT NULL DEFAULT 1
);
INSERT INTO server_backup_settings DEFAULT VALUES;

CREATE TABLE server_backup_runs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trigger      text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  target_id    uuid REFERENCES backup_targets (id) ON DELETE SET NULL,
  snapshot_id  text CHECK (snapshot_id ~ '^[0-9a-f]{64}$'),
  database     text CHECK (database IN ('pglite', 'postgres')),
  bytes_total  bigint NOT NULL DEFAULT 0,
  bytes_added  bigint NOT NULL DEFAULT 0,
  forgotten    integer NOT NULL DEFAULT 0,
  error        text,
  CHECK ((status = 'succeeded') = (snapshot_id IS NOT NULL))
);
CREATE INDEX server_backup_runs_started_idx ON server_backup_runs (started_at DESC, id DESC);
