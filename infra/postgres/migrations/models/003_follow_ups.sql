-- followups.v1: follow-up topics with their votes and history, and action items. The board keeps
-- each workshop's series and days, because series views span workshops and this model does not
-- join workshops.v1. Registrations appear by id only; readers join names from registrations.v1.
CREATE TABLE followup_boards (
    workshop   text    PRIMARY KEY,
    series     text    NOT NULL,
    first_day  text    NOT NULL,
    days       text[]  NOT NULL,
    voting     text    NOT NULL,
    vote_limit integer NOT NULL
);
CREATE INDEX followup_boards_by_series ON followup_boards (series);
CREATE TABLE followup_topics (
    workshop       text   NOT NULL,
    id             text   NOT NULL,
    ordinal        bigint NOT NULL,
    title          text   NOT NULL,
    description    text   NOT NULL,
    source_kind    text   NOT NULL,
    source_session text   NOT NULL,
    source_table   text   NOT NULL,
    proposed_by    text   NOT NULL,
    proposed_at    timestamptz NOT NULL,
    status         text   NOT NULL,
    link           jsonb,
    merged_into    text   NOT NULL,
    PRIMARY KEY (workshop, id)
);
-- One row per voter: the topics in the order they were named.
CREATE TABLE followup_votes (
    workshop     text   NOT NULL,
    registration text   NOT NULL,
    topics       text[] NOT NULL,
    PRIMARY KEY (workshop, registration)
);
CREATE TABLE followup_topic_history (
    workshop text   NOT NULL,
    topic    text   NOT NULL,
    seq      bigint NOT NULL,
    kind     text   NOT NULL,
    other    text   NOT NULL,
    status   text   NOT NULL,
    link     jsonb,
    at       timestamptz NOT NULL,
    PRIMARY KEY (workshop, topic, seq, kind, other)
);
CREATE TABLE followup_action_items (
    workshop         text   NOT NULL,
    id               text   NOT NULL,
    ordinal          bigint NOT NULL,
    what             text   NOT NULL,
    who_registration text   NOT NULL,
    who_organisation text   NOT NULL,
    due_by           text   NOT NULL,
    agreed_at        timestamptz NOT NULL,
    done             boolean NOT NULL,
    done_at          timestamptz,
    done_by          text   NOT NULL,
    PRIMARY KEY (workshop, id)
);
CREATE INDEX followup_action_items_open ON followup_action_items (workshop) WHERE NOT done;
