-- Search that finds what people type (issue 24): "wifi" finds "Wi-Fi". The default parser splits a hyphenated
-- word into the whole ('wi-fi') and its parts ('wi', 'fi'), never the joined form, so the documents also get
-- each hyphenated word written without its hyphens. Prefixes and word variants ("jam" finds "jams") are the
-- query's side (platform/text-search.ts).
CREATE FUNCTION search_compounds(body text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(replace(m[1], '-', ''), ' '), '')
    FROM regexp_matches(body, '([[:alnum:]]+(?:-[[:alnum:]]+)+)', 'g') AS m
$$;

CREATE OR REPLACE FUNCTION tickets_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  pub text;
  everything text;
  head tsvector;
BEGIN
  SELECT left(coalesce(string_agg(body, ' ' ORDER BY seq) FILTER (WHERE NOT internal), ''), 200000),
         left(coalesce(string_agg(body, ' ' ORDER BY seq), ''), 200000)
    INTO pub, everything
    FROM ticket_comments WHERE ticket_id = NEW.id;
  head := setweight(to_tsvector('simple', NEW.title || ' ' || search_compounds(NEW.title)), 'A')
       || setweight(to_tsvector('simple', NEW.description || ' ' || search_compounds(NEW.description)), 'B');
  NEW.search_public := head || setweight(to_tsvector('simple', pub || ' ' || search_compounds(pub)), 'C');
  NEW.search_all := head || setweight(to_tsvector('simple', everything || ' ' || search_compounds(everything)), 'C');
  RETURN NEW;
END $$;

-- Documents written before this migration: only those with a hyphen somewhere change.
UPDATE tickets SET title = title
 WHERE strpos(title, '-') > 0 OR strpos(description, '-') > 0
    OR id IN (SELECT ticket_id FROM ticket_comments WHERE strpos(body, '-') > 0);
