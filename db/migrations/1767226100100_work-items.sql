-- Up Migration

-- team_tasks become work items: each has an opaque ID, a status that people change (claim, release, complete with
-- an outcome) and a due instant past which an unfinished item is overdue. The packet stays sealed in details_sealed.
ALTER TABLE team_tasks ADD COLUMN item_id text NOT NULL UNIQUE DEFAULT ('wi_' || replace(gen_random_uuid()::text, '-', ''));
ALTER TABLE team_tasks DROP CONSTRAINT team_tasks_kind_check;
ALTER TABLE team_tasks ADD CONSTRAINT team_tasks_kind_check CHECK (kind IN ('visit', 'handover', 'conversation'));
UPDATE team_tasks SET team = 'visits' WHERE team = 'visit';
ALTER TABLE team_tasks ADD CONSTRAINT team_tasks_team_check
  CHECK (team IN ('callcentre', 'visits', 'wijkteam', 'sdv', 'budgetcoach', 'meldpunt'));
ALTER TABLE team_tasks ADD COLUMN due_at timestamptz;
UPDATE team_tasks SET due_at = planned_at;
ALTER TABLE team_tasks ALTER COLUMN due_at SET NOT NULL;
ALTER TABLE team_tasks ADD COLUMN dagdeel text CHECK (dagdeel IN ('Ochtend', 'Middag', 'Avond'));
ALTER TABLE team_tasks ADD COLUMN visit_number integer;
ALTER TABLE team_tasks ADD COLUMN status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'done'));
UPDATE team_tasks SET status = 'done' WHERE done_at IS NOT NULL;
-- The API key (ID) that claimed or completed the item: safe to show and audit.
ALTER TABLE team_tasks ADD COLUMN claimed_by text;
ALTER TABLE team_tasks ADD COLUMN claimed_at timestamptz;
ALTER TABLE team_tasks ADD COLUMN outcome text;
ALTER TABLE team_tasks ADD COLUMN done_by text;
ALTER TABLE team_tasks ADD COLUMN notified_at timestamptz;
ALTER TABLE team_tasks ADD CONSTRAINT team_tasks_claim_check CHECK (status = 'open' OR claimed_by IS NOT NULL);
CREATE INDEX team_tasks_by_status ON team_tasks (municipality, team, status, due_at, item_id);

-- Where a team that works in its own systems hears of new work: a shared mailbox and optionally a signed webhook.
CREATE TABLE team_notification_channels (
  municipality text NOT NULL CHECK (municipality ~ '^[0-9]{4}$'),
  team text NOT NULL CHECK (team IN ('callcentre', 'visits', 'wijkteam', 'sdv', 'budgetcoach', 'meldpunt')),
  mailbox text,
  webhook_url text,
  -- The HMAC-SHA256 key for the webhook's signature, sealed like personal data.
  webhook_secret_sealed text,
  PRIMARY KEY (municipality, team),
  CHECK (webhook_url IS NULL OR webhook_secret_sealed IS NOT NULL)
);

-- Down Migration

DROP TABLE team_notification_channels;
DROP INDEX team_tasks_by_status;
ALTER TABLE team_tasks DROP CONSTRAINT team_tasks_claim_check;
ALTER TABLE team_tasks DROP COLUMN notified_at, DROP COLUMN done_by, DROP COLUMN outcome, DROP COLUMN claimed_at,
  DROP COLUMN claimed_by, DROP COLUMN status, DROP COLUMN visit_number, DROP COLUMN dagdeel, DROP COLUMN due_at;
ALTER TABLE team_tasks DROP CONSTRAINT team_tasks_team_check;
UPDATE team_tasks SET team = 'visit' WHERE team = 'visits';
DELETE FROM team_tasks WHERE kind = 'conversation';
ALTER TABLE team_tasks DROP CONSTRAINT team_tasks_kind_check;
ALTER TABLE team_tasks ADD CONSTRAINT team_tasks_kind_check CHECK (kind IN ('visit', 'handover'));
ALTER TABLE team_tasks DROP COLUMN item_id;
