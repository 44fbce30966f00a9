-- Read models of one generation. Each projection owns its tables; none joins another's, because
-- each moves at its own checkpoint.
CREATE TABLE checkpoints (
    projection text   PRIMARY KEY,
    seq        bigint NOT NULL
);

-- workshops.v1
CREATE TABLE workshops (
    id           text PRIMARY KEY,
    title        text NOT NULL,
    series       text NOT NULL,
    venue        text NOT NULL,
    days         text[] NOT NULL,
    capacity     integer NOT NULL,
    scheduled_at timestamptz NOT NULL
);
CREATE TABLE sessions (
    workshop text NOT NULL,
    id       text NOT NULL,
    title    text NOT NULL,
    kind     text NOT NULL,
    day      text NOT NULL,
    starts   text NOT NULL,
    ends     text NOT NULL,
    room     text NOT NULL,
    speakers text[],
    PRIMARY KEY (workshop, id)
);
CREATE TABLE seat_holders (
    workshop     text NOT NULL,
    registration text NOT NULL,
    days         text[] NOT NULL,
    seated       boolean NOT NULL,
    PRIMARY KEY (workshop, registration)
);

-- registrations.v1. Personal data (name, email, dietary) is kept for the organiser's lists;
-- NULL name means the person was erased.
CREATE TABLE registration_lists (
    workshop text PRIMARY KEY
);
CREATE TABLE registrations (
    workshop      text NOT NULL,
    id            text NOT NULL,
    ordinal       bigint NOT NULL,
    name          text,
    email         text,
    dietary       text,
    organisation  text NOT NULL,
    district      text NOT NULL,
    days          text[] NOT NULL,
    overnight     boolean NOT NULL,
    status        text NOT NULL,
    token_hash    text NOT NULL,
    registered_at timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (workshop, id)
);
CREATE INDEX registrations_in_order ON registrations (workshop, ordinal);

-- attendance.v1
CREATE TABLE attendance_sheets (
    workshop text PRIMARY KEY,
    days     text[] NOT NULL,
    capacity integer NOT NULL
);
CREATE TABLE sheet_sessions (
    workshop text NOT NULL,
    id       text NOT NULL,
    title    text NOT NULL,
    day      text NOT NULL,
    starts   text NOT NULL,
    PRIMARY KEY (workshop, id)
);
CREATE TABLE attendees (
    workshop     text NOT NULL,
    registration text NOT NULL,
    organisation text NOT NULL,
    days         text[] NOT NULL,
    status       text NOT NULL,
    PRIMARY KEY (workshop, registration)
);
CREATE TABLE check_ins (
    workshop     text NOT NULL,
    registration text NOT NULL,
    day          text NOT NULL,
    session      text NOT NULL,
    PRIMARY KEY (workshop, registration, day, session)
);
