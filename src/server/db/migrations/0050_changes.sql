-- Change management (issue 25): templates, changes with their items, risk and plans, approval routes and the
-- votes on them, maintenance windows and blackouts, tasks, and the tickets a change caused or fixes.

-- A template: standard ones are the pre-approved catalogue; each carries a weighted risk questionnaire.
CREATE TABLE change_templates (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  type                text NOT NULL CHECK (type IN ('standard', 'normal', 'emergency')),
  description         text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  -- [{key, text, weight}]: a yes adds its weight to the risk score.
  questions           jsonb NOT NULL DEFAULT '[]'::jsonb,
  implementation_plan text NOT NULL DEFAULT '' CHECK (length(implementation_plan) <= 20000),
  test_plan           text NOT NULL DEFAULT '' CHECK (length(test_plan) <= 20000),
  backout_plan        text NOT NULL DEFAULT '' CHECK (length(backout_plan) <= 20000),
  active              boolean NOT NULL DEFAULT true,
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX change_templates_name_key ON change_templates (lower(name));

-- Who approves, per route: the risk level of a normal change, or `emergency`. Levels [{teamId, rule, count}]
-- are approved in order.
CREATE TABLE change_approval_routes (
  route      text PRIMARY KEY CHECK (route IN ('low', 'moderate', 'high', 'emergency')),
  levels     jsonb NOT NULL DEFAULT '[]'::jsonb,
  version    integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO change_approval_routes (route) VALUES ('low'), ('moderate'), ('high'), ('emergency');

CREATE SEQUENCE change_number;

CREATE TABLE changes (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number              integer NOT NULL UNIQUE,
  type                text NOT NULL CHECK (type IN ('standard', 'normal', 'emergency')),
  template_id         uuid REFERENCES change_templates (id) ON DELETE SET NULL,
  title               text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description         text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  status              text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'assessment', 'authorisation',
                        'scheduled', 'implementing', 'review', 'closed', 'cancelled', 'rejected')),
  outcome             text CHECK (outcome IN ('successful', 'partially_successful', 'failed', 'backed_out')),
  CHECK ((status = 'closed') = (outcome IS NOT NULL)),
  risk                text CHECK (risk IN ('low', 'moderate', 'high')),
  risk_score          integer,
  risk_reasons        jsonb NOT NULL DEFAULT '[]'::jsonb,
  answers             jsonb NOT NULL DEFAULT '{}'::jsonb,
  implementation_plan text NOT NULL DEFAULT '' CHECK (length(implementation_plan) <= 20000),
  test_plan           text NOT NULL DEFAULT '' CHECK (length(test_plan) <= 20000),
  backout_plan        text NOT NULL DEFAULT '' CHECK (length(backout_plan) <= 20000),
  planned_start       timestamptz,
  planned_end         timestamptz,
  CHECK (planned_end > planned_start),
  implementer_id      uuid REFERENCES users (id),
  team_id             uuid REFERENCES teams (id),
  -- A window inside a blackout needs this: why, and who allowed it.
  blackout_override   text CHECK (length(blackout_override) BETWEEN 1 AND 2000),
  override_by         text,
  rejection_reason    text,
  lessons             text NOT NULL DEFAULT '' CHECK (length(lessons) <= 20000),
  requested_by        uuid REFERENCES users (id) ON DELETE SET NULL,
  requested_by_label  text NOT NULL,
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_status_idx ON changes (status, number DESC);
CREATE INDEX changes_window_idx ON changes (planned_start, planned_end) WHERE planned_start IS NOT NULL;
CREATE INDEX changes_implementer_idx ON changes (implementer_id, planned_start) WHERE implementer_id IS NOT NULL;

-- The configuration items a change works on (no foreign key into the CMDB's table: the record outlives them).
CREATE TABLE change_items (
  change_id uuid NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
  ci_id     uuid NOT NULL,
  PRIMARY KEY (change_id, ci_id)
);
CREATE INDEX change_items_ci_idx ON change_items (ci_id, change_id);

-- A change's approval levels, copied from its route when it enters authorisation; voters are the team's
-- members at that moment, so that a rule ("all", "majority") counts against a fixed set.
CREATE TABLE change_approvals (
  change_id  uuid NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
  level      integer NOT NULL CHECK (level >= 1),
  team_id    uuid NOT NULL REFERENCES teams (id),
  team_name  text NOT NULL,
  rule       text NOT NULL CHECK (rule IN ('any', 'all', 'majority', 'at_least')),
  required   integer NOT NULL CHECK (required >= 1),
  voters     uuid[] NOT NULL,
  status     text NOT NULL CHECK (status IN ('waiting', 'pending', 'approved', 'rejected')),
  decided_at timestamptz,
  PRIMARY KEY (change_id, level)
);

-- One vote per person and level, decided by the primary key when two arrive at once.
CREATE TABLE change_votes (
  change_id  uuid NOT NULL,
  level      integer NOT NULL,
  user_id    uuid NOT NULL REFERENCES users (id),
  user_label text NOT NULL,
  decision   text NOT NULL CHECK (decision IN ('approve', 'reject')),
  reason     text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
  CHECK (decision = 'approve' OR length(reason) > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (change_id, level, user_id),
  FOREIGN KEY (change_id, level) REFERENCES change_approvals (change_id, level) ON DELETE CASCADE
);

-- Maintenance windows (when an item may be changed) and blackouts (when nothing, or one item, may be).
CREATE TABLE change_windows (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind       text NOT NULL CHECK (kind IN ('maintenance', 'blackout')),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  ci_id      uuid,
  CHECK (kind = 'blackout' OR ci_id IS NOT NULL),
  starts_at  timestamptz NOT NULL,
  ends_at    timestamptz NOT NULL,
  CHECK (ends_at > starts_at),
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_windows_range_idx ON change_windows (kind, starts_at, ends_at);
CREATE INDEX change_windows_ci_idx ON change_windows (ci_id) WHERE ci_id IS NOT NULL;

-- Ordered tasks, each for a team.
CREATE TABLE change_tasks (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  change_id  uuid NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
  position   integer NOT NULL CHECK (position >= 1),
  title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  team_id    uuid REFERENCES teams (id),
  done_at    timestamptz,
  done_by    text,
  UNIQUE (change_id, position)
);

-- Incidents a change caused, problems it fixes.
CREATE TABLE change_tickets (
  change_id uuid NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
  ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  kind      text NOT NULL CHECK (kind IN ('caused', 'fixes')),
  PRIMARY KEY (change_id, ticket_id, kind)
);
