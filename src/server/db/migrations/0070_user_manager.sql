-- A person's line manager (issue 27: catalogue requests are approved by the requester's manager). Kept by the
-- users module; a user is never their own manager.
ALTER TABLE users ADD COLUMN manager_id uuid REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE users ADD CONSTRAINT users_manager_not_self CHECK (manager_id IS NULL OR manager_id <> id);
CREATE INDEX users_manager_idx ON users (manager_id) WHERE manager_id IS NOT NULL;
