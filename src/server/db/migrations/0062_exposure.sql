-- Vulnerability exposure (issue 26): OSV advisories imported offline, the exposures they give computers'
-- source packages, the remediation SLA per severity, and one remediation ticket per advisory and service.

-- An advisory as imported (the newest `modified` wins on re-import), with its severity from CVSS.
CREATE TABLE advisories (
  id          text PRIMARY KEY,
  modified    timestamptz NOT NULL,
  published   timestamptz,
  summary     text NOT NULL DEFAULT '',
  details     text NOT NULL DEFAULT '',
  aliases     text[] NOT NULL DEFAULT '{}',
  severity    text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'unknown')),
  cvss_score  numeric(3, 1),
  cvss_vector text,
  imported_at timestamptz NOT NULL DEFAULT now()
);
-- The newest import time is the stamp of each process's in-memory copy of the affected packages.
CREATE INDEX advisories_imported_idx ON advisories (imported_at);

-- One affected package of an advisory in one ecosystem: its ECOSYSTEM ranges (events in order) and versions.
CREATE TABLE advisory_packages (
  advisory_id text NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  ecosystem   text NOT NULL,
  name        text NOT NULL,
  -- [[{"introduced":"0"},{"fixed":"1.2-3"}], ...]: each range's events
  ranges      jsonb NOT NULL DEFAULT '[]',
  versions    text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (advisory_id, ecosystem, name)
);
CREATE INDEX advisory_packages_name_idx ON advisory_packages (ecosystem, name);

-- The remediation SLA: days to fix an exposure of each severity.
CREATE TABLE exposure_sla (
  severity text PRIMARY KEY CHECK (severity IN ('critical', 'high', 'medium', 'low', 'unknown')),
  days     integer NOT NULL CHECK (days BETWEEN 1 AND 3650)
);
INSERT INTO exposure_sla (severity, days) VALUES
  ('critical', 7), ('high', 30), ('medium', 90), ('low', 180), ('unknown', 90);

-- A computer's source package affected by an advisory. Open until a report shows a fixed version (or the package
-- gone); one open exposure per advisory, computer and package, decided by the unique index.
CREATE TABLE exposures (
  id                uuid PRIMARY KEY DEFAULT steward_uuid7(),
  advisory_id       text NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  computer_id       uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  ecosystem         text NOT NULL,
  package           text NOT NULL,
  installed_version text NOT NULL,
  fixed_version     text,
  severity          text NOT NULL,
  opened_at         timestamptz NOT NULL DEFAULT now(),
  due_at            timestamptz NOT NULL,
  closed_at         timestamptz,
  closed_version    text
);
CREATE UNIQUE INDEX exposures_open_idx ON exposures (advisory_id, computer_id, package) WHERE closed_at IS NULL;
CREATE INDEX exposures_computer_idx ON exposures (computer_id) WHERE closed_at IS NULL;
CREATE INDEX exposures_list_idx ON exposures (severity, due_at, id) WHERE closed_at IS NULL;

-- The remediation ticket of an advisory for a business service; one per pair, decided by the primary key.
CREATE TABLE exposure_tickets (
  advisory_id text NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  service_id  uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  ticket_id   uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  resolved_at timestamptz,
  PRIMARY KEY (advisory_id, service_id)
);
