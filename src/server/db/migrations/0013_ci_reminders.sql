-- Warranty and contract expiry reminders (issue 6, item 8): one row per item, kind and date reminded of, so
-- the daily job reminds once per date (a new date, say a renewed contract, is reminded of again).
CREATE TABLE ci_reminders (
  ci_id        uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('warranty', 'contract')),
  due          date NOT NULL,
  reminded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ci_id, kind, due)
);
