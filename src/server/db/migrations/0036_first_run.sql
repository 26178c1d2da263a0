-- First run and password links (issue 24): one-time links that let a person set their password (an invitation
-- for a user created without one, or "forgot password"), and the set-up tokens a server prints at start while
-- no admin exists. Only hashes of the secrets are stored.
CREATE TABLE password_links (
  token_hash  text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('invite', 'reset')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  -- Set by the one redemption that succeeds (or when a newer link or a redemption supersedes the link).
  used_at     timestamptz
);
CREATE INDEX password_links_user_idx ON password_links (user_id);
CREATE INDEX password_links_expiry_idx ON password_links (expires_at);

-- Set-up tokens: each server process that starts while no active admin exists adds one; creating the first
-- admin with any of them removes them all.
CREATE TABLE setup_tokens (
  token_hash  text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
