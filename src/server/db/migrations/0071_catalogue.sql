-- The service catalogue (issue 27): items people may request, each with a typed form, approval levels and
-- fulfilment tasks for teams; requests, their approvals (votes decided by the shared approval rules) and tasks.

-- The SLA module's: a ticket counted under a policy of its own (a catalogue item's SLA) instead of its type's.
CREATE TABLE sla_ticket_policies (
  ticket_id uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  policy_id uuid NOT NULL REFERENCES sla_policies (id) ON DELETE CASCADE
);
CREATE INDEX sla_ticket_policies_policy_idx ON sla_ticket_policies (policy_id);

CREATE TABLE cat_items (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  category      text NOT NULL DEFAULT '' CHECK (length(category) <= 100),
  description   text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  active        boolean NOT NULL DEFAULT true,
  -- Who may request it: everyone, people of some roles, or members of some teams.
  audience      text NOT NULL CHECK (audience IN ('everyone', 'roles', 'teams')),
  roles         text[] NOT NULL DEFAULT '{}',
  team_ids      uuid[] NOT NULL DEFAULT '{}',
  CHECK ((audience = 'roles') = (cardinality(roles) > 0) AND (audience = 'teams') = (cardinality(team_ids) > 0)),
  sla_policy_id uuid REFERENCES sla_policies (id) ON DELETE SET NULL,
  -- The form, the approval levels and the fulfilment tasks, each checked as a whole by the contracts.
  fields        jsonb NOT NULL DEFAULT '[]'::jsonb,
  approvals     jsonb NOT NULL DEFAULT '[]'::jsonb,
  tasks         jsonb NOT NULL DEFAULT '[]'::jsonb,
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cat_items_name_key ON cat_items (lower(name));

CREATE SEQUENCE cat_request_number;

-- One request of an item: the form's values and a copy of the item's definition as it was when submitted (an
-- edit of the item does not change requests in flight).
CREATE TABLE cat_requests (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number        integer NOT NULL UNIQUE,
  item_id       uuid NOT NULL REFERENCES cat_items (id),
  item_name     text NOT NULL,
  requester_id  uuid NOT NULL REFERENCES users (id),
  ticket_id     uuid REFERENCES tickets (id) ON DELETE SET NULL,
  fields        jsonb NOT NULL,
  answers       jsonb NOT NULL,
  status        text NOT NULL DEFAULT 'approval'
                  CHECK (status IN ('approval', 'fulfilment', 'fulfilled', 'rejected')),
  -- The approval level waiting (1-based); 0 when none is.
  level         integer NOT NULL DEFAULT 0,
  version       integer NOT NULL DEFAULT 1,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cat_requests_requester_idx ON cat_requests (requester_id, number DESC);
CREATE INDEX cat_requests_ticket_idx ON cat_requests (ticket_id);

-- One approval level of a request, its voters fixed at submission so that "all" counts a fixed set.
CREATE TABLE cat_approvals (
  request_id uuid NOT NULL REFERENCES cat_requests (id) ON DELETE CASCADE,
  level      integer NOT NULL CHECK (level >= 1),
  kind       text NOT NULL CHECK (kind IN ('manager', 'team')),
  team_id    uuid REFERENCES teams (id),
  group_name text NOT NULL,
  rule       text NOT NULL CHECK (rule IN ('any', 'all', 'majority', 'at_least')),
  required   integer NOT NULL CHECK (required >= 1),
  voters     uuid[] NOT NULL,
  status     text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'pending', 'approved', 'rejected')),
  decided_at timestamptz,
  PRIMARY KEY (request_id, level)
);
CREATE INDEX cat_approvals_voters_idx ON cat_approvals USING gin (voters);

-- One vote per person and level, decided by the primary key when two arrive at once.
CREATE TABLE cat_votes (
  request_id uuid NOT NULL,
  level      integer NOT NULL,
  user_id    uuid NOT NULL REFERENCES users (id),
  user_name  text NOT NULL,
  decision   text NOT NULL CHECK (decision IN ('approve', 'reject')),
  reason     text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, level, user_id),
  FOREIGN KEY (request_id, level) REFERENCES cat_approvals (request_id, level) ON DELETE CASCADE
);

-- Fulfilment tasks, in order: one opens when the one before it is done.
CREATE TABLE cat_tasks (
  request_id uuid NOT NULL REFERENCES cat_requests (id) ON DELETE CASCADE,
  position   integer NOT NULL CHECK (position >= 1),
  title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  team_id    uuid NOT NULL REFERENCES teams (id),
  status     text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'open', 'done')),
  note       text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  done_by    text,
  opened_at  timestamptz,
  done_at    timestamptz,
  PRIMARY KEY (request_id, position)
);
CREATE INDEX cat_tasks_open_idx ON cat_tasks (team_id) WHERE status = 'open';
