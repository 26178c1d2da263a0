-- The discovery agent (issue 6, item 6): enrolment tokens, enrolled agents with their own revocable tokens,
-- and the fields discovery fills on computers.

-- One-time enrolment tokens made by admins; a device exchanges one for its own agent token.
CREATE TABLE agent_enrolment_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash  text NOT NULL UNIQUE,
  note        text NOT NULL DEFAULT '',
  uses_left   integer NOT NULL CHECK (uses_left >= 0),
  expires_at  timestamptz NOT NULL,
  created_by  uuid REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- An enrolled device: its token (SHA-256), the system UUID it enrolled with (reports about another system
-- are refused), the computer it became, and the hash of its last report (an identical report changes nothing).
CREATE TABLE agents (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash       text NOT NULL UNIQUE,
  hostname         text NOT NULL,
  system_uuid      text NOT NULL,
  ci_id            uuid REFERENCES cis (id) ON DELETE SET NULL,
  last_report_at   timestamptz,
  last_report_hash text,
  revoked_at       timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_uuid_idx ON agents (system_uuid);

-- Discovered facts on computers.
UPDATE ci_classes SET fields = '[
  {"key":"system_uuid","label":"System UUID","type":"text","required":false},
  {"key":"os","label":"Operating system","type":"text","required":false},
  {"key":"cpu","label":"CPU","type":"text","required":false},
  {"key":"memory_mb","label":"Memory (MB)","type":"number","required":false},
  {"key":"disks","label":"Disks","type":"text","required":false},
  {"key":"macs","label":"MAC addresses","type":"text","required":false},
  {"key":"ip_addresses","label":"IP addresses","type":"text","required":false},
  {"key":"last_seen","label":"Last seen by the agent","type":"date","required":false}
]'::jsonb, version = version + 1
WHERE kind = 'computer' AND builtin;
CREATE INDEX cis_system_uuid_idx ON cis ((custom->>'system_uuid')) WHERE custom ? 'system_uuid';
-- Installations of a computer are found through installed_on relationships (ci_relationships_to_idx).
