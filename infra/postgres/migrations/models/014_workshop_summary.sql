-- workshops.v1: the organisers' summary ("Bilanz") of a workshop, Markdown; '' for none.
ALTER TABLE workshops ADD COLUMN summary text NOT NULL DEFAULT '';
