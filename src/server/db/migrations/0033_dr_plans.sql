-- Disaster recovery plans per business service (issue 23): recovery targets, runbook steps with owners and the
-- items each restores, contacts, a review date with reminders, and whether the plan needs verification by a
-- drill. The recovery order is not stored: it is derived from the CMDB's relationships when read, except where
-- a cycle needs a person's order (dr_plan_order).
CREATE TABLE dr_plans (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- One plan per business service (an item whose class kind is 'service').
  service_id           uuid NOT NULL UNIQUE REFERENCES cis (id) ON DELETE CASCADE,
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  summary              text NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
  rto_minutes          integer NOT NULL CHECK (rto_minutes BETWEEN 1 AND 525600),
  rpo_minutes          integer NOT NULL CHECK (rpo_minutes BETWEEN 1 AND 525600),
  owner_id             uuid REFERENCES users (id) ON DELETE SET NULL,
  review_due           date NOT NULL,
  -- The review date a reminder was sent for (once per date; a new date is reminded of again).
  review_reminded_for  date,
  -- Set by every change to the plan; cleared by a successful drill. Changes in the CMDB are found by comparing
  -- the scope now with verified_scope (items' versions and the relationships walked) when the plan is read.
  needs_verification   boolean NOT NULL DEFAULT true,
  verification_reason  text,
  verification_since   timestamptz,
  last_verified_at     timestamptz,
  last_drill_id        uuid,
  verified_scope       jsonb,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  version              integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX dr_plans_name_idx ON dr_plans (lower(name));
CREATE INDEX dr_plans_review_idx ON dr_plans (review_due);

CREATE TABLE dr_plan_steps (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id           uuid NOT NULL REFERENCES dr_plans (id) ON DELETE CASCADE,
  position          integer NOT NULL CHECK (position >= 1),
  title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  -- Markdown.
  body              text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
  owner_id          uuid REFERENCES users (id) ON DELETE SET NULL,
  expected_minutes  integer CHECK (expected_minutes BETWEEN 1 AND 525600),
  UNIQUE (plan_id, position)
);

-- The items a step restores.
CREATE TABLE dr_plan_step_items (
  step_id  uuid NOT NULL REFERENCES dr_plan_steps (id) ON DELETE CASCADE,
  ci_id    uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  PRIMARY KEY (step_id, ci_id)
);
CREATE INDEX dr_plan_step_items_ci_idx ON dr_plan_step_items (ci_id);

-- People to call: a user of Steward, or someone outside it (a vendor's support line).
CREATE TABLE dr_plan_contacts (
  id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id   uuid NOT NULL REFERENCES dr_plans (id) ON DELETE CASCADE,
  position  integer NOT NULL CHECK (position >= 1),
  name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role      text NOT NULL DEFAULT '' CHECK (length(role) <= 200),
  phone     text NOT NULL DEFAULT '' CHECK (length(phone) <= 50),
  email     text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
  user_id   uuid REFERENCES users (id) ON DELETE SET NULL,
  UNIQUE (plan_id, position)
);

-- A person's order for items the CMDB's relationships cannot order (members of a dependency cycle).
CREATE TABLE dr_plan_order (
  plan_id   uuid NOT NULL REFERENCES dr_plans (id) ON DELETE CASCADE,
  ci_id     uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  position  integer NOT NULL CHECK (position >= 1),
  PRIMARY KEY (plan_id, ci_id),
  UNIQUE (plan_id, position)
);
