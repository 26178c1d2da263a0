-- KPIs and dashboards (issue 28). The kpis module owns every table here. Ticket KPIs are read from a per-ticket
-- fact row and from daily aggregates of those facts, both kept exact by the `kpis.catch_up` job: every write to
-- tickets, ticket_sla and ticket_cis marks the ticket in `kpi_dirty` (statement-level triggers, in the writing
-- transaction, so no write path can forget it); the job recomputes the marked tickets' facts from the owning
-- modules' queries and moves the aggregates by the difference, in one transaction with taking the marks.

CREATE TABLE kpi_dirty (
  ticket_id  uuid PRIMARY KEY,
  marked_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION kpi_mark_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi_dirty (ticket_id) SELECT DISTINCT id FROM changed ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION kpi_mark_ticket_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi_dirty (ticket_id) SELECT DISTINCT ticket_id FROM changed ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER kpi_tickets_ins AFTER INSERT ON tickets REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_tickets();
CREATE TRIGGER kpi_tickets_upd AFTER UPDATE ON tickets REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_tickets();
CREATE TRIGGER kpi_tickets_del AFTER DELETE ON tickets REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_tickets();
CREATE TRIGGER kpi_sla_ins AFTER INSERT ON ticket_sla REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_ticket_refs();
CREATE TRIGGER kpi_sla_upd AFTER UPDATE ON ticket_sla REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_ticket_refs();
CREATE TRIGGER kpi_sla_del AFTER DELETE ON ticket_sla REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_ticket_refs();
CREATE TRIGGER kpi_cis_ins AFTER INSERT ON ticket_cis REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_ticket_refs();
CREATE TRIGGER kpi_cis_del AFTER DELETE ON ticket_cis REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_ticket_refs();

-- Every existing ticket is counted by the first catch-up.
INSERT INTO kpi_dirty (ticket_id) SELECT id FROM tickets;

-- One row per ticket: the facts every ticket KPI is defined on (kpis/definitions.ts).
CREATE TABLE kpi_ticket_facts (
  ticket_id         uuid PRIMARY KEY,
  team_id           uuid,
  service_id        uuid,
  created_at        timestamptz NOT NULL,
  -- when the response clock was decided (met or missed), and whether it was met; null: no decided target
  responded_at      timestamptz,
  response_met      boolean,
  resolved_at       timestamptz,
  resolution_met    boolean,
  -- resolved, closed or cancelled: out of the backlog
  finished_at       timestamptz,
  fcr               boolean NOT NULL,
  reopened          boolean NOT NULL,
  csat              smallint
);
CREATE INDEX kpi_facts_created_idx ON kpi_ticket_facts (created_at);
CREATE INDEX kpi_facts_responded_idx ON kpi_ticket_facts (responded_at) WHERE responded_at IS NOT NULL;
CREATE INDEX kpi_facts_resolved_idx ON kpi_ticket_facts (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX kpi_facts_finished_idx ON kpi_ticket_facts (finished_at);

-- The facts summed per UTC day, team and business service (null: none). Each counter belongs to one anchor:
-- created_* to created_at, finished_* to finished_at, response_* to responded_at, the rest to resolved_at.
CREATE TABLE kpi_daily (
  day                     date NOT NULL,
  team_id                 uuid,
  service_id              uuid,
  created                 bigint NOT NULL DEFAULT 0,
  created_epoch           bigint NOT NULL DEFAULT 0,
  finished                bigint NOT NULL DEFAULT 0,
  finished_created_epoch  bigint NOT NULL DEFAULT 0,
  response_total          bigint NOT NULL DEFAULT 0,
  response_met            bigint NOT NULL DEFAULT 0,
  resolved                bigint NOT NULL DEFAULT 0,
  resolve_seconds         bigint NOT NULL DEFAULT 0,
  resolution_total        bigint NOT NULL DEFAULT 0,
  resolution_met          bigint NOT NULL DEFAULT 0,
  fcr                     bigint NOT NULL DEFAULT 0,
  reopened                bigint NOT NULL DEFAULT 0,
  csat_count              bigint NOT NULL DEFAULT 0,
  csat_sum                bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX kpi_daily_key ON kpi_daily (day, team_id, service_id) NULLS NOT DISTINCT;

-- Targets set by admins (a KPI without a row has its built-in default).
CREATE TABLE kpi_targets (
  kpi         text PRIMARY KEY CHECK (kpi ~ '^[a-z][a-z0-9_]{1,39}$'),
  target      double precision NOT NULL,
  updated_by  uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  version     integer NOT NULL DEFAULT 1
);

-- Dashboards: a person's own, or shared with every KPI reader; cards (kpi/chart/list with their filters) as JSON
-- validated by the contracts.
CREATE TABLE kpi_dashboards (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  shared      boolean NOT NULL DEFAULT false,
  cards       jsonb NOT NULL DEFAULT '[]'::jsonb,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kpi_dashboards_owner_idx ON kpi_dashboards (owner_id);
CREATE INDEX kpi_dashboards_shared_idx ON kpi_dashboards (shared) WHERE shared;
