-- workshops.v1: the funding details (project, funding reference, funder, logo), as JSON; NULL for none.
ALTER TABLE workshops ADD COLUMN funding jsonb;
