-- The audit chain becomes keyed (HMAC with a key derived from the master key, which the database never sees).
-- Entries sealed before this migration stay verifiable as "legacy, unkeyed": the chain head records the first
-- keyed position (keyed_from), and the head itself carries the time of the newest sealed entry (at), so the
-- sealer refuses entries dated before it, and a MAC over (seq, hash, at, keyed_from) written by the sealer.
-- key_id names the key (derived, reveals nothing) so that a process with another master key refuses to seal.
-- Written with IF NOT EXISTS so that tests can replay it on a crafted pre-migration chain.
ALTER TABLE audit_chain_head ADD COLUMN IF NOT EXISTS at timestamptz;
ALTER TABLE audit_chain_head ADD COLUMN IF NOT EXISTS keyed_from bigint;
ALTER TABLE audit_chain_head ADD COLUMN IF NOT EXISTS mac text;
ALTER TABLE audit_chain_head ADD COLUMN IF NOT EXISTS key_id text;
UPDATE audit_chain_head
  SET keyed_from = seq + 1,
      at = (SELECT max(at) FROM audit_log WHERE seq IS NOT NULL)
  WHERE keyed_from IS NULL;

-- Entries the sealer refused to chain (dated before the chain head or in the future): the reason, shown by
-- verify. They stay unsealed; the append-only trigger allows setting this on unsealed entries only.
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS refused text;
DROP INDEX IF EXISTS audit_log_unsealed_idx;
CREATE INDEX IF NOT EXISTS audit_log_unsealed_idx ON audit_log (id) WHERE seq IS NULL AND refused IS NULL;
CREATE INDEX IF NOT EXISTS audit_log_refused_idx ON audit_log (id) WHERE refused IS NOT NULL;
