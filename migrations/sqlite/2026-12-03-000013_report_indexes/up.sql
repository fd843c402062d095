-- The reports' counts read indexes only (docs/performance.md, "Reports"):
-- the summary's grouping by kind, status and direction, and the postings in
-- post on a day or ending in a window, by status and end date with the
-- other columns those counts need.
CREATE INDEX secondments_kind_status_direction_idx ON secondments (kind, status, direction);
CREATE INDEX secondments_status_end_idx
    ON secondments (status, end_date, start_date, actual_end_date, host_unit_id);
-- Lists and exports filtered by status walk their keyset pages in id order.
CREATE INDEX secondments_status_id_idx ON secondments (status, id);
