-- materials.v1: each workshop's files and their versions. The bytes are in the object store under
-- sha256; the uploader is an actor (an account id or "organiser"), no personal free text.
CREATE TABLE materials (
    workshop text   NOT NULL,
    id       text   NOT NULL,
    ordinal  bigint NOT NULL,
    title    text   NOT NULL,
    session  text   NOT NULL,
    tbl      text   NOT NULL,
    added_at timestamptz NOT NULL,
    removed  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (workshop, id)
);
CREATE TABLE material_versions (
    workshop     text   NOT NULL,
    material     text   NOT NULL,
    version      bigint NOT NULL,
    name         text   NOT NULL,
    size         bigint NOT NULL,
    sha256       text   NOT NULL,
    content_type text   NOT NULL,
    uploaded_by  text   NOT NULL,
    uploaded_at  timestamptz NOT NULL,
    PRIMARY KEY (workshop, material, version)
);
