-- Per-day waitlists (#14): a registration is confirmed or waitlisted per day. Rows written
-- before had one status for all their days; they get it on each day. A waitlisted day without
-- an entry in waitlisted_since waits since the registration's ordinal (as every day did then).
ALTER TABLE seat_holders ADD COLUMN seated_days text[] NOT NULL DEFAULT '{}';
UPDATE seat_holders SET seated_days = days WHERE seated;

ALTER TABLE registrations ADD COLUMN day_status jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN waitlisted_since jsonb NOT NULL DEFAULT '{}';
UPDATE registrations SET day_status = (SELECT COALESCE(jsonb_object_agg(d, status), '{}') FROM unnest(days) d)
    WHERE status IN ('confirmed', 'waitlisted');

ALTER TABLE attendees ADD COLUMN day_status jsonb NOT NULL DEFAULT '{}';
UPDATE attendees SET day_status = (SELECT COALESCE(jsonb_object_agg(d, status), '{}') FROM unnest(days) d)
    WHERE status IN ('confirmed', 'waitlisted');
