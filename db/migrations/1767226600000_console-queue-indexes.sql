-- Up Migration

-- The console's queue: a team's (or, for an admin, the municipality's) unfinished work items soonest due first. These
-- partial indexes hand the first page over in order, instead of sorting every unfinished item on each visit.
CREATE INDEX team_tasks_unfinished_by_team ON team_tasks (municipality, team, due_at, item_id)
  WHERE status IN ('open', 'claimed');
CREATE INDEX team_tasks_unfinished ON team_tasks (municipality, due_at, item_id) WHERE status IN ('open', 'claimed');

-- The case page asks which teams have work on a case (who may see its contact details).
CREATE INDEX team_tasks_case ON team_tasks (municipality, case_id);

-- Down Migration

DROP INDEX team_tasks_case;
DROP INDEX team_tasks_unfinished;
DROP INDEX team_tasks_unfinished_by_team;
