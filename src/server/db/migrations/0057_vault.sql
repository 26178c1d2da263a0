-- The credential vault (issue 26): the secret of each credential item of the CMDB, every version of it sealed by
-- envelope encryption (platform/envelope.ts, bound to its item and version), who it is shared with, and every
-- reveal with its reason.

-- One credential item's vault entry: the current version, the login name (not secret), rotation.
CREATE TABLE vault_entries (
  ci_id                uuid PRIMARY KEY REFERENCES cis (id) ON DELETE CASCADE,
  username             text CHECK (length(username) <= 200),
  current_version      integer NOT NULL DEFAULT 0 CHECK (current_version >= 0),
  rotation_days        integer CHECK (rotation_days BETWEEN 1 AND 3650),
  rotation_due         date,
  rotate_after_reveal  boolean NOT NULL DEFAULT false,
  -- The rotation date last reminded of: one reminder per due date.
  reminded_for         date,
  version              integer NOT NULL DEFAULT 1,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vault_entries_due_idx ON vault_entries (rotation_due) WHERE rotation_due IS NOT NULL;

-- Every version of a secret, kept: `sealed` is a SecretBox value for the context `vault:<ci>:<version>`.
CREATE TABLE vault_versions (
  ci_id        uuid NOT NULL REFERENCES vault_entries (ci_id) ON DELETE CASCADE,
  version      integer NOT NULL CHECK (version >= 1),
  sealed       text NOT NULL,
  reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
  created_by   uuid REFERENCES users (id),
  created_label text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ci_id, version)
);

-- Who may reveal (and, at `manage`, also change and share) a credential: a person or a team.
CREATE TABLE vault_shares (
  ci_id       uuid NOT NULL REFERENCES vault_entries (ci_id) ON DELETE CASCADE,
  user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
  team_id     uuid REFERENCES teams (id) ON DELETE CASCADE,
  level       text NOT NULL CHECK (level IN ('reveal', 'manage')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX vault_shares_user_key ON vault_shares (ci_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX vault_shares_team_key ON vault_shares (ci_id, team_id) WHERE team_id IS NOT NULL;
CREATE INDEX vault_shares_user_idx ON vault_shares (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX vault_shares_team_idx ON vault_shares (team_id) WHERE team_id IS NOT NULL;

-- Each reveal: who, when, which version, why (shown on the item).
CREATE TABLE vault_reveals (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ci_id       uuid NOT NULL REFERENCES vault_entries (ci_id) ON DELETE CASCADE,
  version     integer NOT NULL,
  user_id     uuid REFERENCES users (id),
  actor_label text NOT NULL,
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vault_reveals_ci_idx ON vault_reveals (ci_id, at DESC);
