-- When a change was closed: the success rates are counted over a chosen period of closing.
ALTER TABLE changes ADD COLUMN closed_at timestamptz;
-- A closed change is no longer edited, so its last update is when it was closed.
UPDATE changes SET closed_at = updated_at WHERE status = 'closed';
ALTER TABLE changes ADD CONSTRAINT changes_closed_at_check CHECK ((status = 'closed') = (closed_at IS NOT NULL));
CREATE INDEX changes_closed_idx ON changes (closed_at) WHERE status = 'closed';
