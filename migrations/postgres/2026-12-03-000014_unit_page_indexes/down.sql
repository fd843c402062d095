DROP INDEX secondments_home_unit_idx;
DROP INDEX secondments_host_unit_idx;
CREATE INDEX secondments_home_unit_idx ON secondments (home_unit_id, id);
CREATE INDEX secondments_host_unit_idx ON secondments (host_unit_id, id);
