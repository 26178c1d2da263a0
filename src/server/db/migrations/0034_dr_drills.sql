-- Disaster-recovery drills (issue 23): test restores of a plan's devices, in recovery order, into scratch
-- folders on the server, verified file by file; manual runbook steps ticked off; the evidence of a finished
-- drill is frozen (a trigger refuses changes) and its SHA-256 is in the audit chain.
CREATE TABLE dr_drills (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The plan drilled; kept as a name too, so a drill's history reads the same after the plan is gone.
  plan_id              uuid REFERENCES dr_plans (id) ON DELETE SET NULL,
  plan_name            text NOT NULL,
  -- The plan's version and scope (items' versions, relationships) when the drill started: a passed drill
  -- verifies the plan as it was then.
  plan_version         integer NOT NULL,
  plan_scope           jsonb NOT NULL,
  service_ci_id        uuid,
  service_name         text,
  trigger              text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  status               text NOT NULL DEFAULT 'running'
                         CHECK (status IN ('running', 'passed', 'failed', 'cancelled')),
  started_at           timestamptz NOT NULL DEFAULT now(),
  finished_at          timestamptz,
  started_by           uuid REFERENCES users (id) ON DELETE SET NULL,
  started_by_label     text NOT NULL,
  -- The plan's targets when the drill started (a later change of the plan does not rewrite history).
  rto_target_seconds   integer,
  rpo_target_seconds   integer,
  measured_rto_seconds integer CHECK (measured_rto_seconds >= 0),
  achieved_rpo_seconds integer CHECK (achieved_rpo_seconds >= 0),
  -- Why it failed, in a sentence (the problem's title says the same).
  failure              text,
  evidence             jsonb,
  evidence_sha256      text CHECK (evidence_sha256 ~ '^[0-9a-f]{64}$'),
  problem_ticket_id    uuid REFERENCES tickets (id) ON DELETE SET NULL,
  problem_key          text,
  CHECK ((status = 'running') = (finished_at IS NULL)),
  CHECK ((status = 'running') = (evidence_sha256 IS NULL))
);
-- One running drill per plan, decided by the database when two start at once.
CREATE UNIQUE INDEX dr_drills_one_running ON dr_drills (plan_id) WHERE status = 'running';
CREATE INDEX dr_drills_plan_idx ON dr_drills (plan_id, started_at DESC, id DESC);

CREATE TABLE dr_drill_steps (
  drill_id        uuid NOT NULL REFERENCES dr_drills (id) ON DELETE CASCADE,
  position        integer NOT NULL CHECK (position >= 1),
  kind            text NOT NULL CHECK (kind IN ('restore', 'manual')),
  -- What the step is, as people read it: "Restore db-1", or the runbook's instruction.
  title           text NOT NULL,
  -- The device restored (no foreign key: the record outlives the item).
  ci_id           uuid,
  device_name     text,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'passed', 'failed')),
  snapshot_id     text CHECK (snapshot_id ~ '^[0-9a-f]{64}$'),
  snapshot_time   timestamptz,
  files           integer NOT NULL DEFAULT 0,
  bytes           bigint NOT NULL DEFAULT 0,
  verified_files  integer NOT NULL DEFAULT 0,
  mismatches      integer NOT NULL DEFAULT 0,
  started_at      timestamptz,
  finished_at     timestamptz,
  ticked_by       uuid REFERENCES users (id) ON DELETE SET NULL,
  ticked_by_label text,
  ticked_at       timestamptz,
  -- Tree id, hostname, paths, manifest hash and the first mismatches of a restore.
  details         jsonb NOT NULL DEFAULT '{}',
  error           text,
  PRIMARY KEY (drill_id, position),
  CHECK (kind = 'manual' OR ci_id IS NOT NULL),
  CHECK (kind = 'restore' OR ticked_at IS NULL OR status = 'passed')
);

-- A plan's drill schedule: a drill starts when `next_run_at` passes (claimed with SKIP LOCKED, moved in the
-- same transaction, so each firing starts one drill however many servers run).
CREATE TABLE dr_drill_schedules (
  plan_id     uuid PRIMARY KEY REFERENCES dr_plans (id) ON DELETE CASCADE,
  cron        text NOT NULL,
  time_zone   text NOT NULL DEFAULT 'UTC',
  enabled     boolean NOT NULL DEFAULT true,
  next_run_at timestamptz,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1
);
CREATE INDEX dr_drill_schedules_due_idx ON dr_drill_schedules (next_run_at) WHERE enabled;

-- A finished drill is evidence: nothing of it changes afterwards, except references to rows that are removed
-- (the plan, the person, the problem) being cleared.
CREATE FUNCTION dr_drills_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'running' THEN
      RAISE EXCEPTION 'a finished drill cannot be deleted' USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'running'
     AND (to_jsonb(NEW) - 'plan_id' - 'started_by' - 'problem_ticket_id')
         IS DISTINCT FROM (to_jsonb(OLD) - 'plan_id' - 'started_by' - 'problem_ticket_id') THEN
    RAISE EXCEPTION 'a finished drill cannot be changed' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER dr_drills_frozen BEFORE UPDATE OR DELETE ON dr_drills
  FOR EACH ROW EXECUTE FUNCTION dr_drills_frozen();

CREATE FUNCTION dr_drill_steps_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT status FROM dr_drills WHERE id = OLD.drill_id) IS DISTINCT FROM 'running'
     AND (TG_OP = 'DELETE'
          OR (to_jsonb(NEW) - 'ticked_by') IS DISTINCT FROM (to_jsonb(OLD) - 'ticked_by')) THEN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM dr_drills WHERE id = OLD.drill_id) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the steps of a finished drill cannot be changed' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER dr_drill_steps_frozen BEFORE UPDATE OR DELETE ON dr_drill_steps
  FOR EACH ROW EXECUTE FUNCTION dr_drill_steps_frozen();
