-- Company backups (issue 22), first part: where backups go, and one restic repository per device.

-- A storage target: a restic location (a folder on the server, s3:, sftp:, rest:) that holds one repository per
-- device below it. Credentials are sealed under the server master key (platform/envelope.ts), never stored plain.
CREATE TABLE backup_targets (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('local', 's3', 'sftp', 'rest')),
  location    text NOT NULL,
  secrets     text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX backup_targets_name_idx ON backup_targets (lower(name));

-- A device's repository on a target: its folder below the target, and its random password, sealed, so that IT
-- can restore when the device is gone. One per device; the target cannot be deleted while repositories use it.
CREATE TABLE backup_repositories (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ci_id       uuid NOT NULL UNIQUE REFERENCES cis (id) ON DELETE RESTRICT,
  target_id   uuid NOT NULL REFERENCES backup_targets (id) ON DELETE RESTRICT,
  folder      text NOT NULL,
  password    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (target_id, folder)
);
