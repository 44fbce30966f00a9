-- Integers as wide as the log's: a Go int has 64 bits, and an event written before the domain
-- bounded its numbers (or by hand) must not stop a projection. The views of the control schema
-- that read these tables block a change of type; those pointing at this generation are dropped
-- and made again in this transaction, so readers wait for the commit and never miss one. A new
-- generation (a rebuild) has no views yet.
DO $$
DECLARE
    v text;
    dropped text[] := '{}';
BEGIN
    FOR v IN SELECT DISTINCT view.relname
        FROM pg_depend d
        JOIN pg_rewrite r ON r.oid = d.objid
        JOIN pg_class view ON view.oid = r.ev_class AND view.relkind = 'v'
        JOIN pg_namespace vs ON vs.oid = view.relnamespace AND vs.nspname = 'werkstatt'
        JOIN pg_class t ON t.oid = d.refobjid
        WHERE t.relnamespace = current_schema()::regnamespace
          AND t.relname IN ('workshops', 'attendance_sheets', 'theme_cafes', 'cafe_tables', 'cafe_seats',
                            'cafe_notes', 'followup_boards', 'feedback_questionnaires', 'feedback_answers')
    LOOP
        EXECUTE format('DROP VIEW werkstatt.%I', v);
        dropped := dropped || v;
    END LOOP;

    ALTER TABLE workshops ALTER capacity TYPE bigint;
    ALTER TABLE attendance_sheets ALTER capacity TYPE bigint;
    ALTER TABLE theme_cafes ALTER rounds TYPE bigint;
    ALTER TABLE cafe_tables ALTER capacity TYPE bigint;
    ALTER TABLE cafe_seats ALTER round TYPE bigint;
    ALTER TABLE cafe_notes ALTER round TYPE bigint;
    ALTER TABLE followup_boards ALTER vote_limit TYPE bigint;
    ALTER TABLE feedback_questionnaires ALTER version TYPE bigint;
    ALTER TABLE feedback_answers ALTER version TYPE bigint;

    FOREACH v IN ARRAY dropped LOOP
        EXECUTE format('CREATE VIEW werkstatt.%I AS SELECT * FROM %I.%I', v, current_schema(), v);
    END LOOP;
END
$$;
