-- How each person likes the ticket queue (issue 24): the columns shown, in order, and the density.
CREATE TABLE queue_prefs (
  user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  columns     jsonb NOT NULL,
  density     text NOT NULL DEFAULT 'comfortable' CHECK (density IN ('comfortable', 'compact')),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
