-- The generation row names the schema (werkstatt_rm_<current>) that holds the read models the
-- service writes; the views of this schema point at it. Writers lock the row FOR SHARE, a
-- rebuild switches it FOR UPDATE.
CREATE TABLE generation (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    current   bigint  NOT NULL
);
CREATE SEQUENCE generations;
INSERT INTO generation (current) VALUES (nextval('generations'));
