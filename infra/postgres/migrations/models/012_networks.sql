-- workshops.v1: the network that owns a workshop ('' for none) and who sees it ('' is public).
ALTER TABLE workshops ADD COLUMN network text NOT NULL DEFAULT '';
ALTER TABLE workshops ADD COLUMN visibility text NOT NULL DEFAULT '';
