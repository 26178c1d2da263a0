-- Company backups (issue 22): backup policies, and what they are assigned to (the most specific wins).
CREATE TABLE backup_policies (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                 text NOT NULL,
  -- When it runs, as given (a cron pattern, or every N hours within working hours), and as the cron pattern and
  -- IANA time zone it amounts to.
  schedule             jsonb NOT NULL,
  cron                 text NOT NULL,
  time_zone            text NOT NULL,
  -- What to back up and leave out, per operating system: {"linux":[…],"windows":[…],"macos":[…]}.
  paths                jsonb NOT NULL,
  excludes             jsonb NOT NULL DEFAULT '[]',
  exclude_caches       boolean NOT NULL DEFAULT true,
  exclude_larger_than  bigint,
  -- restic's forget policy: {"last":…, "hourly":…, "daily":…, "weekly":…, "monthly":…, "yearly":…, "within":"…"}.
  retention            jsonb NOT NULL,
  rpo_minutes          integer NOT NULL CHECK (rpo_minutes > 0),
  upload_limit_kib     integer CHECK (upload_limit_kib > 0),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  version              integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX backup_policies_name_idx ON backup_policies (lower(name));

-- One policy per item, location, team or class; a device takes the most specific that names it.
CREATE TABLE backup_policy_assignments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  policy_id   uuid NOT NULL REFERENCES backup_policies (id) ON DELETE CASCADE,
  scope       text NOT NULL CHECK (scope IN ('item', 'location', 'team', 'class')),
  ref         text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (scope, ref)
);
CREATE INDEX backup_policy_assignments_policy_idx ON backup_policy_assignments (policy_id);
