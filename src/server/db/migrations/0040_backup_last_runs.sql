-- Company backups (issue 22): each device's last run and last good run, kept in the same transaction as each
-- run report (one upsert, row-locked per device), so that the fleet's status list reads one row per device
-- instead of searching every device's runs.
CREATE TABLE backup_last_runs (
  ci_id             uuid PRIMARY KEY REFERENCES cis (id) ON DELETE CASCADE,
  last_at           timestamptz NOT NULL,
  last_status       text NOT NULL CHECK (last_status IN ('succeeded', 'partial', 'failed')),
  -- The last run that saved a snapshot (succeeded or partial): when it began, and restic's snapshot id.
  good_at           timestamptz,
  good_snapshot_id  text,
  CHECK ((good_at IS NULL) = (good_snapshot_id IS NULL))
);

INSERT INTO backup_last_runs (ci_id, last_at, last_status, good_at, good_snapshot_id)
SELECT d.ci_id, l.started_at, l.status, g.started_at, g.snapshot_id
FROM (SELECT DISTINCT ci_id FROM backup_runs) d
CROSS JOIN LATERAL (SELECT started_at, status FROM backup_runs r WHERE r.ci_id = d.ci_id
  ORDER BY started_at DESC LIMIT 1) l
LEFT JOIN LATERAL (SELECT started_at, snapshot_id FROM backup_runs r WHERE r.ci_id = d.ci_id
  AND r.status <> 'failed' ORDER BY started_at DESC LIMIT 1) g ON true;
