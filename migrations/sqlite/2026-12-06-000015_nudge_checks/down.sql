DROP TABLE nudge_checks;
