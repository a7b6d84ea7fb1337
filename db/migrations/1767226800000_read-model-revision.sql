-- Up Migration

-- Each write of a round's view carries the workflow's revision of it. Two writes of one round can run at once (the
-- round's own steps and its handover follow-up are separate local activities); the read model keeps the newer one.
ALTER TABLE cases ADD COLUMN revision integer;

-- Down Migration

ALTER TABLE cases DROP COLUMN revision;
