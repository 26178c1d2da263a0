-- Company backups (issue 22): the backup running now on each device, as its agent posts it every few seconds
-- (one row per device, upserted; deleted when the run is reported).
CREATE TABLE backup_progress (
  ci_id          uuid PRIMARY KEY REFERENCES cis (id) ON DELETE CASCADE,
  started_at     timestamptz NOT NULL,
  percent        real NOT NULL CHECK (percent >= 0 AND percent <= 100),
  files_done     bigint NOT NULL CHECK (files_done >= 0),
  files_total    bigint NOT NULL CHECK (files_total >= 0),
  bytes_done     bigint NOT NULL CHECK (bytes_done >= 0),
  bytes_total    bigint NOT NULL CHECK (bytes_total >= 0),
  current_file   text,
  eta_seconds    integer CHECK (eta_seconds >= 0),
  -- True when this post began another run than the row held before (the run's start is audited once).
  new_run        boolean NOT NULL DEFAULT true,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
