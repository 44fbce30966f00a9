-- workshops.v1: revisions for calendars (SEQUENCE): the log sequence of a session's last plan or
-- change, and of the workshop's last change of title, venue or capacity; 0 for rows projected
-- before they were kept.
ALTER TABLE sessions ADD COLUMN revision bigint NOT NULL DEFAULT 0;
ALTER TABLE workshops ADD COLUMN revised bigint NOT NULL DEFAULT 0;
