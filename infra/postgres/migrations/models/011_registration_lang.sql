-- registrations.v1: the language the person registered in (their mails' language); '' for the
-- default and for rows projected before it was kept.
ALTER TABLE registrations ADD COLUMN lang text NOT NULL DEFAULT '';
