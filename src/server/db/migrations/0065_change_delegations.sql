-- Approval delegation while away (issue 25): during [starts_at, ends_at) the delegate may vote on changes in
-- the approver's place. A vote cast so is stored as the approver's (one vote per approver and level, whoever
-- casts it), with the delegate named on it.
CREATE TABLE change_delegations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  delegate_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  CHECK (user_id <> delegate_id),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  CHECK (ends_at > starts_at),
  reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_delegations_delegate_idx ON change_delegations (delegate_id, ends_at);
CREATE INDEX change_delegations_user_idx ON change_delegations (user_id, ends_at);

ALTER TABLE change_votes ADD COLUMN cast_by_label text;

-- Approve or reject from the notification e-mail: a one-time link per approver and level, stored hashed, bound
-- to the approver (deciding needs them signed in), expiring, used at most once.
CREATE TABLE change_approval_links (
  token_hash text PRIMARY KEY,
  change_id  uuid NOT NULL,
  level      integer NOT NULL,
  FOREIGN KEY (change_id, level) REFERENCES change_approvals (change_id, level) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_approval_links_change_idx ON change_approval_links (change_id);
