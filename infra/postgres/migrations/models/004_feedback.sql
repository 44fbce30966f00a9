-- feedback.v1: questionnaires with every version, and anonymous answers. An answer row is known
-- by its respondent key (a keyed hash) only: no registration id, name or email is stored with it.
-- The evaluation's base (people checked in) comes from check_ins and sheet_sessions of
-- attendance.v1 when it is read.
CREATE TABLE feedback_boards (
    workshop text PRIMARY KEY,
    state    text NOT NULL
);
CREATE TABLE feedback_questionnaires (
    workshop  text    NOT NULL,
    id        text    NOT NULL,
    version   integer NOT NULL,
    session   text    NOT NULL,
    questions jsonb   NOT NULL,
    set_at    timestamptz NOT NULL,
    PRIMARY KEY (workshop, id, version)
);
-- One row per respondent and questionnaire: a changed answer replaces it, whatever its version.
CREATE TABLE feedback_answers (
    workshop      text    NOT NULL,
    questionnaire text    NOT NULL,
    respondent    text    NOT NULL,
    version       integer NOT NULL,
    answers       jsonb   NOT NULL,
    answered_at   timestamptz NOT NULL,
    PRIMARY KEY (workshop, questionnaire, respondent)
);
