-- Vulnerability exposure (issue 26): the source packages each computer runs, in its OS release's OSV ecosystem
-- ("Debian:12", "Ubuntu:22.04:LTS", "Rocky Linux:9"), as the discovery agent reports them. Advisories name
-- source packages; a computer's binary packages of one source are one row here. Owned by the CMDB (its report
-- processing writes it); the exposure module reads it through the CMDB's exported query.
CREATE TABLE ci_source_packages (
  computer_id uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  ecosystem   text NOT NULL,
  name        text NOT NULL,
  version     text NOT NULL,
  PRIMARY KEY (computer_id, name, version)
);
-- Matching an advisory's package finds the computers running it, by ecosystem and name.
CREATE INDEX ci_source_packages_match_idx ON ci_source_packages (ecosystem, name, version);
