-- Background jobs, cron schedules, routing rules (issue 4, items 1 and 2).

-- A durable job queue. Runners claim due rows with FOR UPDATE SKIP LOCKED in a short transaction that sets
-- state = 'running', a lease and a claim token; the handler runs outside any transaction; a second short
-- transaction completes or fails the job, guarded by the token so a runner whose lease was reaped cannot
-- overwrite the outcome of a newer attempt.
CREATE TABLE jobs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Insertion order, for the admin listing's keyset cursor.
  seq          bigserial NOT NULL UNIQUE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
  state        text NOT NULL DEFAULT 'pending'
               CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'discarded')),
  priority     integer NOT NULL DEFAULT 0,
  run_at       timestamptz NOT NULL DEFAULT now(),
  attempts     integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  dedupe_key   text CHECK (length(dedupe_key) <= 400),
  lease_until  timestamptz,
  claim_token  uuid,
  locked_by    text,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
-- The claim query: due pending jobs by priority, then age.
CREATE INDEX jobs_due_idx ON jobs (priority DESC, run_at, id) WHERE state = 'pending';
-- The reaper: running jobs whose lease has expired.
CREATE INDEX jobs_lease_idx ON jobs (lease_until) WHERE state = 'running';
-- Admin listing by state, newest first; housekeeping of old finished jobs.
CREATE INDEX jobs_state_seq_idx ON jobs (state, seq DESC);
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE state IN ('succeeded', 'discarded');
-- Enqueueing with a dedupe key is idempotent while a job with that key is pending.
CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (name, dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL;

-- Cron schedules, one row per schedule key. A runner locks due rows (SKIP LOCKED), enqueues the firing and
-- advances next_run_at in the same transaction, so each firing is enqueued once across processes.
CREATE TABLE job_schedules (
  key          text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
  job_name     text NOT NULL,
  cron         text NOT NULL,
  timezone     text NOT NULL,
  payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
  next_run_at  timestamptz,
  last_run_at  timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_schedules_due_idx ON job_schedules (next_run_at);

-- Routing: agents may be marked away (skipped by automatic assignment); teams choose how work is shared.
ALTER TABLE users ADD COLUMN away boolean NOT NULL DEFAULT false;
ALTER TABLE teams ADD COLUMN assignment text NOT NULL DEFAULT 'none'
  CHECK (assignment IN ('none', 'round_robin', 'fewest_open'));
-- Round-robin position: the member who got the team's last automatic assignment.
ALTER TABLE teams ADD COLUMN last_assignee_id uuid REFERENCES users (id) ON DELETE SET NULL;

CREATE TABLE routing_rules (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  position    integer NOT NULL,
  enabled     boolean NOT NULL DEFAULT true,
  stop        boolean NOT NULL DEFAULT true,
  conditions  jsonb NOT NULL,
  actions     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX routing_rules_name_key ON routing_rules (lower(name));
CREATE INDEX routing_rules_position_idx ON routing_rules (position, id);

-- A routing rule applied at creation is its own timeline entry.
ALTER TABLE ticket_events DROP CONSTRAINT ticket_events_kind_check;
ALTER TABLE ticket_events ADD CONSTRAINT ticket_events_kind_check
  CHECK (kind IN ('created', 'status', 'field', 'routing'));
