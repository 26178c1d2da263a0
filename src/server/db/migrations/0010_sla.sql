-- SLA calendars, policies and the per-ticket SLA projection (issue 4, item 3).

-- A working calendar: weekly hours as local minutes in a time zone, and holidays (closed or short days).
CREATE TABLE sla_calendars (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  timezone    text NOT NULL,
  -- Seven arrays (Sunday first) of [startMinute, endMinute] spans.
  week        jsonb NOT NULL,
  -- [{ "date": "2026-12-25", "name": "Christmas", "hours": [[540, 720]] }], hours absent = closed.
  holidays    jsonb NOT NULL DEFAULT '[]'::jsonb,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sla_calendars_name_key ON sla_calendars (lower(name));

-- A policy: business-time targets per priority for one ticket type, counted on a calendar, with the
-- pending reasons that pause it, the warning share and what happens at the warning and at the breach.
CREATE TABLE sla_policies (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  ticket_type      text NOT NULL CHECK (ticket_type IN ('incident', 'request', 'problem')),
  calendar_id      uuid NOT NULL REFERENCES sla_calendars (id),
  -- { "5": { "firstResponseMinutes": 30, "resolutionMinutes": 240 }, ... }
  targets          jsonb NOT NULL,
  pause_on         text[] NOT NULL DEFAULT '{requester,vendor}',
  warn_share       numeric NOT NULL DEFAULT 0.75 CHECK (warn_share > 0 AND warn_share < 1),
  warning_actions  jsonb NOT NULL DEFAULT '[]'::jsonb,
  breach_actions   jsonb NOT NULL DEFAULT '[]'::jsonb,
  enabled          boolean NOT NULL DEFAULT true,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sla_policies_name_key ON sla_policies (lower(name));
-- One enabled policy per ticket type: which policy applies is never ambiguous.
CREATE UNIQUE INDEX sla_policies_type_key ON sla_policies (ticket_type) WHERE enabled;
CREATE INDEX sla_policies_calendar_idx ON sla_policies (calendar_id);

-- The SLA projection of a ticket: the last computation of its clocks from its history. It is derived data,
-- rewritten whole whenever the ticket, its policy or its calendar changes; lists filter and sort on it and
-- the escalation job finds due checks through next_check_at.
CREATE TABLE ticket_sla (
  ticket_id             uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  policy_id             uuid REFERENCES sla_policies (id) ON DELETE SET NULL,
  response_state        text CHECK (response_state IN ('running', 'paused', 'warning', 'breached', 'met', 'missed')),
  response_due_at       timestamptz,
  response_warning_at   timestamptz,
  resolution_state      text CHECK (resolution_state IN ('running', 'paused', 'warning', 'breached', 'met', 'missed')),
  resolution_due_at     timestamptz,
  resolution_warning_at timestamptz,
  -- The earliest future warning or due instant: when the escalation job must look again.
  next_check_at         timestamptz,
  -- Escalations already carried out (response_warning, response_breach, resolution_warning, ...), so each
  -- runs once; cleared for a clock that is back to running before its warning (e.g. priority lowered).
  escalated             text[] NOT NULL DEFAULT '{}',
  computed_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_sla_next_check_idx ON ticket_sla (next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX ticket_sla_resolution_due_idx ON ticket_sla (resolution_due_at, ticket_id);
CREATE INDEX ticket_sla_response_due_idx ON ticket_sla (response_due_at, ticket_id);
CREATE INDEX ticket_sla_policy_idx ON ticket_sla (policy_id);

ALTER TABLE ticket_events DROP CONSTRAINT IF EXISTS ticket_events_kind_check;
ALTER TABLE ticket_events ADD CONSTRAINT ticket_events_kind_check
  CHECK (kind IN ('created', 'status', 'field', 'routing', 'attachment', 'link', 'sla'));
