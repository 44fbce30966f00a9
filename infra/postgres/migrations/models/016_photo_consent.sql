-- registrations.v1: whether the person agreed that photos showing them may be published
-- (personal data like dietary: false once the person is erased).
ALTER TABLE registrations ADD COLUMN photo_consent boolean NOT NULL DEFAULT false;
