-- Macros (issue 24): a reply (or internal note) plus field changes applied to a ticket in one step. A canned
-- reply is a macro with no changes. Personal macros belong to one person; team macros to a team's members.
CREATE TABLE macros (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id    uuid REFERENCES users (id) ON DELETE CASCADE,
  team_id     uuid REFERENCES teams (id) ON DELETE CASCADE,
  name        text NOT NULL,
  body        text NOT NULL DEFAULT '',
  internal    boolean NOT NULL DEFAULT false,
  -- The field changes (a subset of a ticket update: status, pending reason, team, assignee, category, impact,
  -- urgency, priority override), validated by the contract on write and again on read.
  changes     jsonb NOT NULL DEFAULT '{}',
  created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1,
  CONSTRAINT macros_one_scope CHECK ((owner_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX macros_owner_name_key ON macros (owner_id, lower(name)) WHERE owner_id IS NOT NULL;
CREATE UNIQUE INDEX macros_team_name_key ON macros (team_id, lower(name)) WHERE team_id IS NOT NULL;
CREATE INDEX macros_team_idx ON macros (team_id) WHERE team_id IS NOT NULL;
