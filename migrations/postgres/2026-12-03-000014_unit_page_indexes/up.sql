-- Lists by unit read one ordered range per unit (src/store/secondment_page.rs):
-- the unit, then id for the keyset order, then the columns the common
-- filters test, so that rows failing a filter are skipped in the index.
DROP INDEX secondments_home_unit_idx;
DROP INDEX secondments_host_unit_idx;
CREATE INDEX secondments_home_unit_idx
    ON secondments (home_unit_id, id, end_date, start_date, status);
CREATE INDEX secondments_host_unit_idx
    ON secondments (host_unit_id, id, end_date, start_date, status);
