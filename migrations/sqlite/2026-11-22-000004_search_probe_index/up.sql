-- Lets a search probe "does this official have a term starting with w?"
-- with one index lookup, for common words scanned in id order.
DROP INDEX official_search_terms_official_idx;
CREATE INDEX official_search_terms_official_term_idx ON official_search_terms (official_id, term);
