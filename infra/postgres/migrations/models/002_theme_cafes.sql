-- themecafes.v1: theme cafés with their tables, rankings, rotation plan and notes. Registrations
-- appear by id only; readers join names from registrations.v1.
CREATE TABLE theme_cafes (
    workshop   text    NOT NULL,
    session    text    NOT NULL,
    rounds     integer NOT NULL,
    collection text    NOT NULL,
    planned    boolean NOT NULL,
    seed       bigint  NOT NULL,
    quality    jsonb   NOT NULL,
    published  boolean NOT NULL,
    changed    boolean NOT NULL,
    PRIMARY KEY (workshop, session)
);
CREATE TABLE cafe_tables (
    workshop    text    NOT NULL,
    session     text    NOT NULL,
    id          text    NOT NULL,
    ordinal     bigint  NOT NULL,
    topic       text    NOT NULL,
    description text    NOT NULL,
    host        text    NOT NULL,
    host_guest  text    NOT NULL,
    capacity    integer NOT NULL,
    PRIMARY KEY (workshop, session, id)
);
CREATE TABLE cafe_preferences (
    workshop     text   NOT NULL,
    session      text   NOT NULL,
    registration text   NOT NULL,
    ranking      text[] NOT NULL,
    PRIMARY KEY (workshop, session, registration)
);
-- One row per guest and round of the plan: the table, or '' with the reason of a missing seat.
CREATE TABLE cafe_seats (
    workshop     text    NOT NULL,
    session      text    NOT NULL,
    registration text    NOT NULL,
    round        integer NOT NULL,
    table_id     text    NOT NULL,
    reason       text    NOT NULL,
    PRIMARY KEY (workshop, session, registration, round)
);
CREATE INDEX cafe_seats_by_registration ON cafe_seats (workshop, registration);
CREATE TABLE cafe_notes (
    workshop       text    NOT NULL,
    session        text    NOT NULL,
    table_id       text    NOT NULL,
    round          integer NOT NULL,
    key_points     text[]  NOT NULL,
    examples       text[]  NOT NULL,
    open_questions text[]  NOT NULL,
    recorded_at    timestamptz NOT NULL,
    PRIMARY KEY (workshop, session, table_id, round)
);
