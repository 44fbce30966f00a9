-- workshops.v1: the registration closing time ("Anmeldeschluss"), an instant; NULL for none.
ALTER TABLE workshops ADD COLUMN registration_closes timestamptz;
