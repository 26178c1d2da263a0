-- Knowledge in the flow of work (issue 27 item 4), images in articles, and review flags from linked items
-- and changes. Every table here is the knowledge module's.
--
-- This migration sorts before 0075, which creates kb_articles, so a fresh database runs it first: its
-- article_id columns cannot be foreign keys. Articles are never deleted (they are retired), so nothing
-- dangles; the knowledge repository is the only writer and always names an existing article.

-- Articles linked to tickets: by an agent (`related`), the article made from a resolved ticket (`source`,
-- one per ticket: two "turn into article" at once make one draft), and a problem's known error (`known_error`,
-- one per problem).
CREATE TABLE kb_ticket_links (
  article_id      uuid NOT NULL,
  ticket_id       uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  role            text NOT NULL DEFAULT 'related' CHECK (role IN ('related', 'source', 'known_error')),
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_by_name text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, ticket_id)
);
CREATE INDEX kb_ticket_links_ticket_idx ON kb_ticket_links (ticket_id);
CREATE UNIQUE INDEX kb_ticket_links_one_source ON kb_ticket_links (ticket_id) WHERE role = 'source';
CREATE UNIQUE INDEX kb_ticket_links_one_known_error ON kb_ticket_links (ticket_id) WHERE role = 'known_error';

-- The portal's suggestions a requester opened while writing a ticket, per page visit (`session_id`, made by
-- the browser), and the tickets avoided: at most one per visit, decided by the primary key.
CREATE TABLE kb_suggestion_views (
  session_id uuid NOT NULL,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  article_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, article_id)
);
CREATE TABLE kb_deflections (
  session_id uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  article_id uuid NOT NULL,
  -- `solved`: "this solved it"; `left`: the requester left without sending after opening a suggestion.
  how        text NOT NULL CHECK (how IN ('solved', 'left')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_deflections_article_idx ON kb_deflections (article_id, created_at);

-- Articles linked to CMDB items and changes; when one of them changes the article is flagged for review.
CREATE TABLE kb_item_links (
  article_id      uuid NOT NULL,
  target_type     text NOT NULL CHECK (target_type IN ('item', 'change')),
  target_id       uuid NOT NULL,
  created_by_name text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, target_type, target_id)
);
CREATE INDEX kb_item_links_target_idx ON kb_item_links (target_type, target_id);
-- An article flagged for review (one row per article, the latest reason), removed by a review.
CREATE TABLE kb_review_flags (
  article_id uuid PRIMARY KEY,
  reason     text NOT NULL CHECK (length(reason) <= 500),
  flagged_at timestamptz NOT NULL DEFAULT now()
);

-- Images in articles: stored like ticket attachments (metadata, then the bytes in chunks), served behind the
-- article's visibility.
CREATE TABLE kb_images (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  article_id     uuid NOT NULL,
  file_name      text NOT NULL,
  content_type   text NOT NULL,
  size           integer NOT NULL CHECK (size >= 0),
  sha256         text NOT NULL,
  uploader_id    uuid REFERENCES users (id) ON DELETE SET NULL,
  uploader_label text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_images_article_idx ON kb_images (article_id, created_at);
CREATE TABLE kb_image_chunks (
  image_id uuid NOT NULL REFERENCES kb_images (id) ON DELETE CASCADE,
  seq      integer NOT NULL CHECK (seq >= 0),
  data     bytea NOT NULL,
  PRIMARY KEY (image_id, seq)
);
