DROP TABLE official_search_terms;
DROP TABLE officials;
