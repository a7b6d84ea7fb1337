-- Up Migration

-- Work for people: home visits and warm handovers waiting for the visit team, wijkteam, SDV, budgetcoach or
-- Meldpunt. One row per workflow task key, so a retried activity never creates a second task.
CREATE TABLE team_tasks (
  task_key text PRIMARY KEY,
  municipality text NOT NULL CHECK (municipality ~ '^[0-9]{4}$'),
  case_id text NOT NULL,
  case_ref text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('visit', 'handover')),
  team text NOT NULL,
  planned_at timestamptz NOT NULL,
  reason text,
  -- Address, contact details and the warm-handover description: sealed, and cleared by the retention purge.
  details_sealed text,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz
);
CREATE INDEX team_tasks_open ON team_tasks (municipality, team, planned_at) WHERE done_at IS NULL;

-- Down Migration

DROP TABLE team_tasks;
