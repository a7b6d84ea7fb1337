-- Up Migration

-- The case closes the work items it no longer waits for (a visit whose outcome window lapsed, a conversation recorded
-- another way): done, with the reason as outcome, by the case rather than by a person. A person's outcome that the
-- case then accepts still replaces it.
ALTER TABLE team_tasks ADD COLUMN closed_by_case boolean NOT NULL DEFAULT false;
ALTER TABLE team_tasks DROP CONSTRAINT team_tasks_claim_check;
ALTER TABLE team_tasks ADD CONSTRAINT team_tasks_claim_check
  CHECK (status = 'open' OR claimed_by IS NOT NULL OR closed_by_case);
-- Reminders sent to the team for an overdue item: each is sent once, whatever the activity's retries.
ALTER TABLE team_tasks ADD COLUMN reminders_sent integer NOT NULL DEFAULT 0;

-- Down Migration

ALTER TABLE team_tasks DROP COLUMN reminders_sent;
UPDATE team_tasks SET claimed_by = 'case' WHERE closed_by_case AND claimed_by IS NULL;
ALTER TABLE team_tasks DROP CONSTRAINT team_tasks_claim_check;
ALTER TABLE team_tasks ADD CONSTRAINT team_tasks_claim_check CHECK (status = 'open' OR claimed_by IS NOT NULL);
ALTER TABLE team_tasks DROP COLUMN closed_by_case;
