-- The inventory's default list leaves software installations out (issue 24): one discovered computer brings
-- hundreds of them, so walking every item in name order and skipping them would read mostly installations.
-- This index holds the rest in name order.
CREATE INDEX cis_not_installation_idx ON cis (lower(name), id) WHERE class_key <> 'software_installation';
