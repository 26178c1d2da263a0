-- The CMDB: classes of configuration items with typed custom fields, the items, their relationships, and
-- the links from tickets to items (issue 6).

-- A class: built in (the issue's list) or added by an admin; `kind` is the family the relationship rules
-- speak of, `fields` the typed custom fields items of the class carry.
CREATE TABLE ci_classes (
  key         text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  kind        text NOT NULL CHECK (kind IN ('computer', 'peripheral', 'network', 'storage', 'software_product',
                'software_installation', 'licence', 'service', 'credential', 'location', 'vendor', 'contract')),
  builtin     boolean NOT NULL DEFAULT false,
  fields      jsonb NOT NULL DEFAULT '[]'::jsonb,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ci_classes_name_key ON ci_classes (lower(name));

INSERT INTO ci_classes (key, name, kind, builtin, fields) VALUES
  ('desktop', 'Desktop', 'computer', true, '[]'),
  ('laptop', 'Laptop', 'computer', true, '[]'),
  ('server', 'Server', 'computer', true, '[]'),
  ('virtual_machine', 'Virtual machine', 'computer', true, '[]'),
  ('keyboard', 'Keyboard', 'peripheral', true, '[]'),
  ('mouse', 'Mouse', 'peripheral', true, '[]'),
  ('monitor', 'Monitor', 'peripheral', true, '[]'),
  ('printer', 'Printer', 'peripheral', true, '[]'),
  ('dock', 'Dock', 'peripheral', true, '[]'),
  ('network_device', 'Network device', 'network', true, '[]'),
  ('storage_device', 'Storage or backup device', 'storage', true, '[]'),
  ('software_product', 'Software product', 'software_product', true,
    '[{"key":"publisher","label":"Publisher","type":"text","required":false}]'),
  ('software_installation', 'Software installation', 'software_installation', true,
    '[{"key":"product","label":"Product","type":"text","required":true},{"key":"version","label":"Version","type":"text","required":false}]'),
  ('licence', 'Licence', 'licence', true,
    '[{"key":"product","label":"Product","type":"text","required":true},{"key":"versions","label":"Versions (e.g. 2.x or >=3.1 <4)","type":"text","required":false},{"key":"seats","label":"Seats","type":"number","required":true}]'),
  ('service', 'Business or IT service', 'service', true, '[]'),
  ('credential', 'Credential record', 'credential', true,
    '[{"key":"system","label":"System","type":"text","required":true},{"key":"rotation_due","label":"Rotation due","type":"date","required":false}]'),
  ('location', 'Location', 'location', true, '[]'),
  ('vendor', 'Vendor', 'vendor', true, '[]'),
  ('contract', 'Contract or warranty', 'contract', true,
    '[{"key":"ends","label":"Ends","type":"date","required":false}]');

-- A configuration item.
CREATE TABLE cis (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  class_key      text NOT NULL REFERENCES ci_classes (key),
  asset_tag      text CHECK (length(asset_tag) BETWEEN 1 AND 64),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  serial         text CHECK (length(serial) <= 128),
  model          text CHECK (length(model) <= 200),
  manufacturer   text CHECK (length(manufacturer) <= 200),
  status         text NOT NULL DEFAULT 'in_stock'
                 CHECK (status IN ('ordered', 'in_stock', 'deployed', 'in_repair', 'retired', 'disposed')),
  owner_id       uuid REFERENCES users (id),
  team_id        uuid REFERENCES teams (id),
  location_id    uuid REFERENCES cis (id),
  purchase_date  date,
  cost           numeric(14, 2) CHECK (cost >= 0),
  warranty_end   date,
  notes          text NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
  custom         jsonb NOT NULL DEFAULT '{}'::jsonb,
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cis_asset_tag_key ON cis (lower(asset_tag)) WHERE asset_tag IS NOT NULL;
CREATE INDEX cis_name_idx ON cis (lower(name), id);
CREATE INDEX cis_class_idx ON cis (class_key, lower(name), id);
CREATE INDEX cis_status_idx ON cis (status, lower(name), id);
CREATE INDEX cis_team_idx ON cis (team_id, lower(name), id);
CREATE INDEX cis_owner_idx ON cis (owner_id, lower(name), id);
CREATE INDEX cis_location_idx ON cis (location_id);
CREATE INDEX cis_serial_idx ON cis (lower(serial)) WHERE serial IS NOT NULL;
CREATE INDEX cis_warranty_idx ON cis (warranty_end) WHERE warranty_end IS NOT NULL;

-- A typed, directed relationship: "from <type> to", e.g. an installation installed_on a computer.
CREATE TABLE ci_relationships (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  from_id     uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  type        text NOT NULL CHECK (type IN ('depends_on', 'runs_on', 'installed_on', 'connected_to', 'used_by',
                'backs_up', 'covered_by')),
  to_id       uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (from_id <> to_id),
  UNIQUE (from_id, type, to_id)
);
CREATE INDEX ci_relationships_to_idx ON ci_relationships (to_id, type, from_id);

-- Tickets about items (an incident on a laptop, a request for a monitor).
CREATE TABLE ticket_cis (
  ticket_id   uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  ci_id       uuid NOT NULL REFERENCES cis (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ticket_id, ci_id)
);
CREATE INDEX ticket_cis_ci_idx ON ticket_cis (ci_id, ticket_id);
