-- The compliance register (issue 28, items 4–6): frameworks as control sets, the statement of applicability
-- (each control applicable or not, with a justification), owners and review cycles, evidence queries mapped to
-- controls, and the evidence itself: collected results and uploaded files, frozen once written.

CREATE TABLE compliance_frameworks (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- A stable name for imports ("iso27001-2022"): importing the same key again updates its controls.
  key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9.-]{0,63}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- Whether full texts were loaded by an admin (licensed), not only our short titles.
  full_text   boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE compliance_controls (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  framework_id   uuid NOT NULL REFERENCES compliance_frameworks (id),
  ref            text NOT NULL CHECK (length(ref) BETWEEN 1 AND 32),
  -- Import order, so controls list as the framework lists them (A.5.2 before A.5.10).
  position       integer NOT NULL,
  section        text NOT NULL DEFAULT '' CHECK (length(section) <= 200),
  title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  -- The full text an admin is licensed for, when imported.
  body           text CHECK (length(body) <= 20000),
  -- The statement of applicability: undecided (null), applicable or excluded; a decision needs a reason.
  applicable     boolean,
  justification  text NOT NULL DEFAULT '' CHECK (length(justification) <= 2000),
  owner_id       uuid REFERENCES users (id) ON DELETE SET NULL,
  review_months  integer CHECK (review_months BETWEEN 1 AND 36),
  next_review    date,
  -- The day the owner was last reminded of the review: once a day at most.
  reminded_on    date,
  -- From the latest evidence of each evidence query in effect: none (no query), green (all pass), red.
  status         text NOT NULL DEFAULT 'none' CHECK (status IN ('none', 'green', 'red')),
  status_since   timestamptz,
  version        integer NOT NULL DEFAULT 1,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (framework_id, ref),
  CHECK (applicable IS NULL OR length(btrim(justification)) > 0),
  CHECK ((review_months IS NULL) = (next_review IS NULL))
);
CREATE INDEX compliance_controls_framework_idx ON compliance_controls (framework_id, position);
CREATE INDEX compliance_controls_owner_idx ON compliance_controls (owner_id);
CREATE INDEX compliance_controls_review_idx ON compliance_controls (next_review) WHERE next_review IS NOT NULL;

-- An evidence query mapped to a control: a fact Steward produces itself, with a pass rule (params) that holds
-- from its effective date. Ending a mapping keeps it (its evidence stays); one mapping in force per source.
CREATE TABLE compliance_mappings (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  control_id      uuid NOT NULL REFERENCES compliance_controls (id),
  source          text NOT NULL CHECK (source IN ('backup_success', 'dr_drills', 'approved_changes',
                    'inventory_coverage', 'access_reviews', 'audit_chain')),
  params          jsonb NOT NULL DEFAULT '{}'::jsonb,
  effective_from  date NOT NULL,
  created_label   text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  ended_at        timestamptz
);
CREATE UNIQUE INDEX compliance_mappings_one_idx ON compliance_mappings (control_id, source) WHERE ended_at IS NULL;

-- Evidence: a collected result (the query's answer, its pass or fail) or an uploaded file; each with the
-- SHA-256 of what it holds (written into the audit chain too). Rows and their bytes never change.
CREATE TABLE compliance_evidence (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  control_id    uuid NOT NULL REFERENCES compliance_controls (id),
  kind          text NOT NULL CHECK (kind IN ('collected', 'upload')),
  mapping_id    uuid REFERENCES compliance_mappings (id),
  source        text,
  passed        boolean,
  summary       text NOT NULL CHECK (length(summary) <= 2000),
  result        jsonb,
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  by_label      text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  file_name     text CHECK (length(file_name) BETWEEN 1 AND 255),
  content_type  text,
  size          bigint CHECK (size >= 0),
  CHECK ((kind = 'collected') = (mapping_id IS NOT NULL AND passed IS NOT NULL AND result IS NOT NULL)),
  CHECK ((kind = 'upload') = (file_name IS NOT NULL AND size IS NOT NULL))
);
CREATE INDEX compliance_evidence_control_idx ON compliance_evidence (control_id, at DESC, id);
CREATE INDEX compliance_evidence_mapping_idx ON compliance_evidence (mapping_id, at DESC) WHERE mapping_id IS NOT NULL;

-- An uploaded file's bytes, in chunks (as ticket attachments keep theirs: never a whole file in memory).
CREATE TABLE compliance_evidence_chunks (
  evidence_id  uuid NOT NULL REFERENCES compliance_evidence (id),
  seq          integer NOT NULL CHECK (seq >= 0),
  data         bytea NOT NULL,
  PRIMARY KEY (evidence_id, seq)
);

-- Frozen: evidence and its bytes are written once and never changed or removed.
CREATE FUNCTION compliance_evidence_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'compliance evidence is frozen and cannot change' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER compliance_evidence_frozen BEFORE UPDATE OR DELETE ON compliance_evidence
  FOR EACH ROW EXECUTE FUNCTION compliance_evidence_frozen();
CREATE TRIGGER compliance_evidence_chunks_frozen BEFORE UPDATE OR DELETE ON compliance_evidence_chunks
  FOR EACH ROW EXECUTE FUNCTION compliance_evidence_frozen();
