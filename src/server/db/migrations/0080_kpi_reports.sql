-- Scheduled reports (issue 28): a dashboard's or a list of KPIs, mailed as PDF and/or CSV to people and teams
-- weekly or monthly. The kpis module owns both tables. `next_run_at` is claimed with FOR UPDATE SKIP LOCKED and
-- moved past now in the same transaction that inserts the run (one run per due time: unique), so two processes
-- and a catch-up after downtime send once. Team, service and recipient ids are not foreign keys: a team or
-- service that disappears fails the send (a report silently widened to everything would be wrong).
CREATE TABLE kpi_reports (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id            uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  dashboard_id        text,
  kpis                jsonb NOT NULL DEFAULT '[]'::jsonb,
  team_id             uuid,
  service_id          uuid,
  period              text NOT NULL CHECK (period IN ('last_week', 'last_month')),
  pdf                 boolean NOT NULL,
  csv                 boolean NOT NULL,
  user_ids            jsonb NOT NULL DEFAULT '[]'::jsonb,
  team_ids            jsonb NOT NULL DEFAULT '[]'::jsonb,
  frequency           text NOT NULL CHECK (frequency IN ('weekly', 'monthly')),
  day                 smallint NOT NULL CHECK (day BETWEEN 1 AND 28),
  hour                smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  time_zone           text NOT NULL DEFAULT 'UTC',
  enabled             boolean NOT NULL DEFAULT true,
  next_run_at         timestamptz,
  last_sent_at        timestamptz,
  last_failed_at      timestamptz,
  last_error          text,
  version             integer NOT NULL DEFAULT 1,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (pdf OR csv),
  CHECK (frequency = 'monthly' OR day <= 7)
);
CREATE INDEX kpi_reports_owner_idx ON kpi_reports (owner_id);
CREATE INDEX kpi_reports_due_idx ON kpi_reports (next_run_at) WHERE enabled;

CREATE TABLE kpi_report_runs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  report_id     uuid NOT NULL REFERENCES kpi_reports (id) ON DELETE CASCADE,
  trigger       text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  -- the schedule's due time this run answers (null for "send now"): one run per due time
  due_at        timestamptz,
  requested_by  uuid,
  period_from   text NOT NULL,
  period_to     text NOT NULL,
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  claimed_at    timestamptz,
  -- [{id, name, sent}]: fixed at the first attempt (team members then); a retry mails only those not yet sent
  recipients    jsonb,
  error         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  UNIQUE (report_id, due_at)
);
CREATE INDEX kpi_report_runs_report_idx ON kpi_report_runs (report_id, created_at DESC);
