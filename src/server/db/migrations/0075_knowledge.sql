-- Knowledge base under document control (issue 27): articles with every version kept, reviews decided by
-- approval rules (anyone / all / majority / at least N), the published version's search document, and policy
-- acknowledgement campaigns.

CREATE SEQUENCE kb_article_number;

-- The search document of an article's published text: title, body, workaround and tags, as tickets build theirs
-- (the `simple` configuration and hyphen-free compounds, migration 0048).
CREATE FUNCTION kb_document(title text, body text, workaround text, tags text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple', title || ' ' || search_compounds(title)), 'A')
      || setweight(to_tsvector('simple', array_to_string(tags, ' ') || ' ' || search_compounds(array_to_string(tags, ' '))), 'A')
      || setweight(to_tsvector('simple', left(body, 200000) || ' ' || search_compounds(left(body, 200000))), 'B')
      || setweight(to_tsvector('simple', left(workaround, 50000) || ' ' || search_compounds(left(workaround, 50000))), 'B')
$$;

CREATE TABLE kb_articles (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number            integer NOT NULL UNIQUE,
  kind              text NOT NULL CHECK (kind IN ('how_to', 'known_error', 'policy', 'procedure', 'runbook')),
  status            text NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'in_review', 'approved', 'published', 'retired')),
  -- Who reads the published text: everyone (requesters and up), IT (agents and up), or one team.
  audience          text NOT NULL CHECK (audience IN ('requesters', 'agents', 'team')),
  team_id           uuid REFERENCES teams (id),
  CHECK ((audience = 'team') = (team_id IS NOT NULL)),
  category          text NOT NULL DEFAULT '' CHECK (length(category) <= 100),
  tags              text[] NOT NULL DEFAULT '{}',
  owner_id          uuid REFERENCES users (id) ON DELETE SET NULL,
  review_at         date,
  valid_to          date,
  -- The newest version (what authors edit and reviewers approve) and the one readers see.
  current_version   integer NOT NULL DEFAULT 1,
  published_version integer,
  CHECK (published_version IS NULL OR published_version <= current_version),
  search            tsvector,
  review_round      integer NOT NULL DEFAULT 0,
  -- The review date a reminder was sent for (once per date).
  review_reminded   date,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_articles_search_idx ON kb_articles USING gin (search);
CREATE INDEX kb_articles_listed_idx ON kb_articles (status, number DESC);
CREATE INDEX kb_articles_review_idx ON kb_articles (review_at) WHERE review_at IS NOT NULL;

-- Every version of an article's text, with who wrote it and when; never changed once written.
CREATE TABLE kb_versions (
  article_id  uuid NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
  version     integer NOT NULL CHECK (version >= 1),
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body        text NOT NULL CHECK (length(body) <= 100000),
  workaround  text NOT NULL DEFAULT '' CHECK (length(workaround) <= 20000),
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  author_id   uuid REFERENCES users (id) ON DELETE SET NULL,
  author_name text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, version)
);

-- Who approves each kind: a team (or, without one, IT: agents, managers and admins) under a rule. Policies
-- are approved by managers and admins only, whatever the team.
CREATE TABLE kb_approvers (
  kind       text PRIMARY KEY CHECK (kind IN ('how_to', 'known_error', 'policy', 'procedure', 'runbook')),
  team_id    uuid REFERENCES teams (id),
  rule       text NOT NULL DEFAULT 'any' CHECK (rule IN ('any', 'all', 'majority', 'at_least')),
  count      integer CHECK (count BETWEEN 1 AND 100),
  CHECK ((rule = 'at_least') = (count IS NOT NULL)),
  version    integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO kb_approvers (kind) VALUES ('how_to'), ('known_error'), ('policy'), ('procedure'), ('runbook');

-- One review of one version: the voters fixed when it was asked for, so that "all" counts a fixed set.
CREATE TABLE kb_reviews (
  article_id uuid NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
  round      integer NOT NULL CHECK (round >= 1),
  version    integer NOT NULL,
  rule       text NOT NULL CHECK (rule IN ('any', 'all', 'majority', 'at_least')),
  required   integer NOT NULL CHECK (required >= 1),
  voters     uuid[] NOT NULL,
  status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
  requested_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  PRIMARY KEY (article_id, round)
);

-- One vote per person and review, decided by the primary key when two arrive at once.
CREATE TABLE kb_votes (
  article_id uuid NOT NULL,
  round      integer NOT NULL,
  user_id    uuid NOT NULL REFERENCES users (id),
  user_name  text NOT NULL,
  decision   text NOT NULL CHECK (decision IN ('approve', 'reject')),
  reason     text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
  CHECK (decision = 'approve' OR length(reason) > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, round, user_id),
  FOREIGN KEY (article_id, round) REFERENCES kb_reviews (article_id, round) ON DELETE CASCADE
);

-- A published policy's acknowledgement campaign: who must read it (everyone, a role, a team), against which
-- published version; a new published version starts the count afresh.
CREATE TABLE kb_campaigns (
  article_id    uuid PRIMARY KEY REFERENCES kb_articles (id) ON DELETE CASCADE,
  target        text NOT NULL CHECK (target IN ('everyone', 'role', 'team')),
  role          text CHECK (role IN ('requester', 'agent', 'manager', 'admin')),
  team_id       uuid REFERENCES teams (id),
  CHECK ((target = 'role') = (role IS NOT NULL) AND (target = 'team') = (team_id IS NOT NULL)),
  version       integer NOT NULL,
  due_on        date,
  started_by    text NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  -- The day reminders were last sent (at most once a day).
  reminded_on   date
);

CREATE TABLE kb_acknowledgements (
  article_id uuid NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
  version    integer NOT NULL,
  user_id    uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, version, user_id)
);
CREATE INDEX kb_acknowledgements_user_idx ON kb_acknowledgements (user_id);
