-- Company backups (issue 22): upkeep of each device's repository on the server, as jobs (forget by the device's
-- policy, prune on a schedule, a rotating check that reads every pack at least monthly), one row per task.
CREATE TABLE backup_upkeep (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  repository_id  uuid NOT NULL REFERENCES backup_repositories (id) ON DELETE CASCADE,
  ci_id          uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('forget', 'prune', 'check')),
  trigger        text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  requested_by   uuid REFERENCES users (id) ON DELETE SET NULL,
  requested_at   timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  finished_at    timestamptz,
  -- queued and running are pending; ok, failed (damage found, storage unreachable) and skipped (the repository
  -- was in use, or there was nothing to do) are final.
  outcome        text NOT NULL DEFAULT 'queued'
                 CHECK (outcome IN ('queued', 'running', 'ok', 'failed', 'skipped')),
  summary        text,
  details        jsonb NOT NULL DEFAULT '{}',
  error          text,
  CHECK ((finished_at IS NULL) = (outcome IN ('queued', 'running')))
);
-- At most one pending task of a kind per repository: two prunes never run at once, decided by this index.
CREATE UNIQUE INDEX backup_upkeep_pending_idx ON backup_upkeep (repository_id, kind) WHERE finished_at IS NULL;
CREATE INDEX backup_upkeep_ci_idx ON backup_upkeep (ci_id, requested_at DESC, id DESC);
CREATE INDEX backup_upkeep_last_idx ON backup_upkeep (repository_id, kind, requested_at DESC)
  WHERE finished_at IS NOT NULL;
