-- workshops.v1: the workshop's registration questions ("Anmeldefragen"), as JSON; NULL for none.
ALTER TABLE workshops ADD COLUMN registration_questions jsonb;
-- registrations.v1: the answers kept in clear (choice, yes/no) and the text answers, which go
-- with the person on erasure.
ALTER TABLE registrations ADD COLUMN answers jsonb, ADD COLUMN text_answers jsonb;
-- attendance.v1: the choice and yes/no answers the report counts.
ALTER TABLE attendees ADD COLUMN answers jsonb;
