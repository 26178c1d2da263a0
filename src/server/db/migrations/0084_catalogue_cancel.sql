-- A requester (or a catalogue admin) can cancel a request while it waits for approval or is being fulfilled;
-- who cancelled it, when and why is kept on the request.
ALTER TABLE cat_requests DROP CONSTRAINT cat_requests_status_check;
ALTER TABLE cat_requests ADD CONSTRAINT cat_requests_status_check
  CHECK (status IN ('approval', 'fulfilment', 'fulfilled', 'rejected', 'cancelled'));
ALTER TABLE cat_requests ADD COLUMN cancelled_by text;
ALTER TABLE cat_requests ADD COLUMN cancelled_at timestamptz;
ALTER TABLE cat_requests ADD COLUMN cancel_reason text;
