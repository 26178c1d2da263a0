-- An agent reports only its own machine (issue 20): at most one active agent per system UUID (compared
-- case-insensitively) and per computer, so two enrolments or reports racing for one machine cannot both win.

-- Earlier enrolments may hold one UUID twice (a machine enrolled again without revoking its old agent): the
-- agent last heard of (its last report, else its enrolment) keeps it, the others are revoked (they can no longer report for that machine).
UPDATE agents a SET revoked_at = now()
WHERE a.revoked_at IS NULL AND EXISTS (
  SELECT 1 FROM agents b
  WHERE b.revoked_at IS NULL AND b.id <> a.id AND lower(b.system_uuid) = lower(a.system_uuid)
    AND (coalesce(b.last_report_at, b.created_at), b.id) > (coalesce(a.last_report_at, a.created_at), a.id)
);
-- Likewise one computer bound to several active agents (matched by serial or MAC): the last heard of keeps it;
-- the others are unbound and matched again, under the new rules, on their next report.
UPDATE agents a SET ci_id = NULL, last_report_hash = NULL
WHERE a.revoked_at IS NULL AND a.ci_id IS NOT NULL AND EXISTS (
  SELECT 1 FROM agents b
  WHERE b.revoked_at IS NULL AND b.id <> a.id AND b.ci_id = a.ci_id
    AND (coalesce(b.last_report_at, b.created_at), b.id) > (coalesce(a.last_report_at, a.created_at), a.id)
);
CREATE UNIQUE INDEX agents_live_uuid_key ON agents (lower(system_uuid)) WHERE revoked_at IS NULL;
CREATE UNIQUE INDEX agents_live_ci_key ON agents (ci_id) WHERE revoked_at IS NULL AND ci_id IS NOT NULL;
DROP INDEX agents_uuid_idx;

-- Computers are matched by system UUID case-insensitively (an upper-case UUID made a second computer).
DROP INDEX cis_system_uuid_idx;
CREATE INDEX cis_system_uuid_idx ON cis (lower(custom->>'system_uuid')) WHERE custom ? 'system_uuid';

-- Retired installations older than the discovery setting are pruned by a daily job, oldest first.
CREATE INDEX cis_retired_installations_idx ON cis (updated_at)
  WHERE class_key = 'software_installation' AND status = 'retired';

-- Bounds on what a discovery report may do (admins edit them at /api/v1/settings/discovery).
INSERT INTO settings (key, value)
VALUES ('discovery', '{"maxNewSoftwarePerReport": 5000, "retiredInstallationDays": 180}');
