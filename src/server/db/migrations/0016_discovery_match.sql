-- Discovery (issue 6): a new machine's report is matched against the inventory by system UUID, serial or a MAC
-- address through indexes, not a scan of every item (76 ms at 150,000 items, on every first report).
CREATE INDEX cis_macs_idx ON cis USING gin ((string_to_array(custom->>'macs', ','))) WHERE custom ? 'macs';

-- Peripherals found by the agent (keyboards, mice, monitors, printers, docks, USB storage) are items connected to
-- their computer; this flag tells them from items entered by hand, which discovery never disconnects.
UPDATE ci_classes
SET fields = fields || '[{"key":"discovered","label":"Found by the discovery agent","type":"boolean","required":false}]'::jsonb,
    version = version + 1
WHERE builtin AND (kind = 'peripheral' OR key = 'storage_device');
