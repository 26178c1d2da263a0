-- CMDB at size (issue 6): item search on a trigram index, and item summaries for impact analysis from the
-- index alone.

-- Name search (`?q=` matches any part of a name) on a trigram index instead of a scan of every item.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX cis_name_trgm_idx ON cis USING gin (lower(name) gin_trgm_ops);

-- Impact analysis reads the name, class and status of up to 5,000 items by id: with these columns in an
-- index, each is an index-only lookup instead of an index lookup plus a visit to the item's row.
CREATE INDEX cis_summary_idx ON cis (id) INCLUDE (name, class_key, status);
