-- "Back up now" for a device (issue 25's restore point before a change): a request the device's agent sees in
-- its backup access, runs at once, and answers with its run's report. Owned by the backups module.
CREATE TABLE backup_snapshot_requests (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ci_id           uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  -- Why, as people read it ("Restore point before CHG-12").
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  requested_by    uuid REFERENCES users (id) ON DELETE SET NULL,
  requested_label text NOT NULL,
  state           text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'taken', 'failed')),
  snapshot_id     text CHECK (snapshot_id ~ '^[0-9a-f]{64}$'),
  CHECK ((state = 'taken') = (snapshot_id IS NOT NULL)),
  error           text CHECK (length(error) <= 4000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz
);
CREATE INDEX backup_snapshot_requests_queue_idx ON backup_snapshot_requests (ci_id, created_at)
  WHERE state = 'queued';
