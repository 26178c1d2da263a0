-- The language a user chose for the web app; null follows the browser's language.
ALTER TABLE users ADD COLUMN locale text CHECK (locale IN ('en', 'de'));
