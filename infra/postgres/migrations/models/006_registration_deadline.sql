-- workshops.v1: the registration deadline ("Anmeldeschluss"), an ISO date; '' for none.
ALTER TABLE workshops ADD COLUMN registration_deadline text NOT NULL DEFAULT '';
