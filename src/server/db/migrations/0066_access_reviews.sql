-- Access reviews (issue 26, item 3): campaigns in which owners confirm or revoke each holding (team membership,
-- a role, a credential share), and the finished campaign kept as evidence. The rows keep names and ids as they
-- were when the campaign started, without foreign keys: the evidence outlives the people, teams and credentials.

CREATE TABLE review_campaigns (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- What is reviewed: team memberships, roles, credential shares.
  scope            text[] NOT NULL CHECK (scope <@ ARRAY['team', 'role', 'credential']::text[] AND cardinality(scope) > 0),
  due              date NOT NULL,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  started_by       uuid,
  started_label    text NOT NULL,
  started_at       timestamptz NOT NULL DEFAULT now(),
  closed_label     text,
  closed_at        timestamptz,
  -- The result, frozen at closing, and the SHA-256 of its canonical JSON.
  evidence         jsonb,
  evidence_sha256  text,
  -- The day reviewers were last reminded: one reminder a day per campaign.
  reminded_on      date,
  CHECK ((status = 'closed') = (evidence IS NOT NULL))
);
CREATE INDEX review_campaigns_open_idx ON review_campaigns (due) WHERE status = 'open';

-- One holding to decide on.
CREATE TABLE review_items (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id    uuid NOT NULL REFERENCES review_campaigns (id),
  kind           text NOT NULL CHECK (kind IN ('team', 'role', 'credential')),
  user_id        uuid,
  team_id        uuid,
  ci_id          uuid,
  role           text,
  holder         text NOT NULL,
  holding        text NOT NULL,
  -- Who decides: team leads, admins, the credential's managers.
  reviewer_ids   uuid[] NOT NULL,
  decision       text CHECK (decision IN ('confirm', 'revoke')),
  decided_by     uuid,
  decided_label  text,
  decided_at     timestamptz,
  comment        text CHECK (length(comment) <= 1000),
  -- What the revocation did: 'revoked', or 'already gone' when the holding had ended meanwhile.
  outcome        text,
  CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX review_items_campaign_idx ON review_items (campaign_id, kind, holder);
CREATE INDEX review_items_reviewer_idx ON review_items USING gin (reviewer_ids);

-- A closed campaign is evidence: neither it nor its items change or go away.
CREATE FUNCTION review_evidence_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'review_campaigns' THEN
    IF OLD.status = 'closed' THEN
      RAISE EXCEPTION 'a closed access review is evidence and cannot change' USING ERRCODE = 'P0001';
    END IF;
  ELSIF EXISTS (SELECT 1 FROM review_campaigns WHERE id = OLD.campaign_id AND status = 'closed') THEN
    RAISE EXCEPTION 'a closed access review is evidence and cannot change' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER review_campaigns_frozen BEFORE UPDATE OR DELETE ON review_campaigns
  FOR EACH ROW EXECUTE FUNCTION review_evidence_frozen();
CREATE TRIGGER review_items_frozen BEFORE UPDATE OR DELETE ON review_items
  FOR EACH ROW EXECUTE FUNCTION review_evidence_frozen();
