-- materials.v1: whether a material shows people or holds personal data (it goes with its
-- uploader's erasure).
ALTER TABLE materials ADD COLUMN personal boolean NOT NULL DEFAULT false;
