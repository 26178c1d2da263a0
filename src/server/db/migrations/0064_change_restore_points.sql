-- A change's restore points (issue 25): the snapshot Steward asked each backed-up item's agent for before the
-- change moved to implementing (the request and its snapshot are the backups module's), and the restore asked
-- for from the change's page. One per change and item: asking again after a failure replaces the request.
CREATE TABLE change_restore_points (
  change_id   uuid NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
  ci_id       uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  request_id  uuid NOT NULL,
  restore_id  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (change_id, ci_id)
);

-- Implementing without a restore point (the agent out of reach): why, and who decided it.
ALTER TABLE changes
  ADD COLUMN restore_point_waiver text CHECK (length(restore_point_waiver) BETWEEN 1 AND 2000),
  ADD COLUMN waived_by text;
