DROP TABLE emails;
DROP TABLE holidays;
