import type { Dagdeel } from '../domain/ddas';
import type { Team } from '../domain/teams';
import type { WorkItemKind, WorkItemStatus, WorkItemSummary } from '../domain/work-items';
import type { Queryable } from './connection';

export interface NewWorkItem {
  /** The workflow's deterministic item key: a retried activity finds its item already there. */
  key: string;
  municipality: string;
  caseId: string;
  caseRef: string;
  kind: WorkItemKind;
  team: Team;
  plannedAt: string;
  dueAt: string;
  dagdeel: Dagdeel | null;
  visit: number | null;
  reason: string | null;
  /** The packet (contact details, description, history), sealed by the caller. */
  packetSealed: string;
}

/** Inserts a work item once per key; `created` is false when the key was there already. */
export async function insertWorkItem(db: Queryable, item: NewWorkItem): Promise<{ id: string; created: boolean }> {
  const inserted = await db.query<{ item_id: string }>(
    `INSERT INTO team_tasks (task_key, municipality, case_id, case_ref, kind, team, planned_at, due_at, dagdeel,
                             visit_number, reason, details_sealed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (task_key) DO NOTHING RETURNING item_id`,
    [
      item.key,
      item.municipality,
      item.caseId,
      item.caseRef,
      item.kind,
      item.team,
      item.plannedAt,
      item.dueAt,
      item.dagdeel,
      item.visit,
      item.reason,
      item.packetSealed,
    ],
  );
  if (inserted.rows[0]) return { id: inserted.rows[0].item_id, created: true };
  const existing = await db.query<{ item_id: string }>('SELECT item_id FROM team_tasks WHERE task_key = $1', [
    item.key,
  ]);
  return { id: existing.rows[0]!.item_id, created: false };
}

interface WorkItemRow {
  item_id: string;
  case_id: string;
  team: Team;
  kind: WorkItemKind;
  planned_at: Date;
  due_at: Date;
  dagdeel: Dagdeel | null;
  status: 'open' | 'claimed' | 'done';
  overdue: boolean;
  reason: string | null;
  visit_number: number | null;
  claimed_by: string | null;
  outcome: string | null;
  created_at: Date;
  done_at: Date | null;
  details_sealed: string | null;
}

const COLUMNS = `item_id, case_id, team, kind, planned_at, due_at, dagdeel, status, reason, visit_number, claimed_by,
  outcome, created_at, done_at, details_sealed, (status <> 'done' AND due_at < now()) AS overdue`;

function summaryOf(row: WorkItemRow): WorkItemSummary {
  return {
    id: row.item_id,
    case: row.case_id,
    team: row.team,
    kind: row.kind,
    plannedAt: row.planned_at.toISOString(),
    dagdeel: row.dagdeel,
    dueAt: row.due_at.toISOString(),
    status: row.overdue ? 'overdue' : row.status,
    reason: row.reason,
    visit: row.visit_number,
    claimedBy: row.claimed_by,
    outcome: row.outcome,
    createdAt: row.created_at.toISOString(),
    doneAt: row.done_at?.toISOString() ?? null,
  };
}

/** Where a page of items ends: the next page starts after this due instant and ID. */
export interface WorkCursor {
  dueAt: string;
  id: string;
}

/** A page of the municipality's work, soonest due first; `overdue` is an open or claimed item past its due instant. */
export async function listWorkItems(
  db: Queryable,
  municipality: string,
  filter: { team?: Team; status?: WorkItemStatus; after?: WorkCursor; limit: number },
): Promise<{ items: WorkItemSummary[]; next: WorkCursor | null }> {
  const params: unknown[] = [municipality];
  const where = ['municipality = $1'];
  if (filter.team) {
    params.push(filter.team);
    where.push(`team = $${params.length}`);
  }
  if (filter.status === 'overdue') where.push(`status <> 'done' AND due_at < now()`);
  else if (filter.status === 'done') where.push(`status = 'done'`);
  else if (filter.status) {
    params.push(filter.status);
    where.push(`status = $${params.length} AND due_at >= now()`);
  }
  if (filter.after) {
    params.push(filter.after.dueAt, filter.after.id);
    where.push(`(due_at, item_id) > ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(filter.limit + 1);
  const result = await db.query<WorkItemRow>(
    `SELECT ${COLUMNS} FROM team_tasks WHERE ${where.join(' AND ')} ORDER BY due_at, item_id LIMIT $${params.length}`,
    params,
  );
  const rows = result.rows.slice(0, filter.limit);
  const last = rows[rows.length - 1];
  return {
    items: rows.map(summaryOf),
    next: result.rows.length > filter.limit && last ? { dueAt: last.due_at.toISOString(), id: last.item_id } : null,
  };
}

export type StoredWorkItem = WorkItemSummary & {
  packetSealed: string | null;
  caseRef: string;
  /** Done because the case stopped waiting for it, not by a person: a person's outcome may still replace it. */
  closedByCase: boolean;
};

/** One item of the municipality by its opaque ID; null for an unknown ID or another municipality's item. */
export async function findWorkItem(db: Queryable, municipality: string, id: string): Promise<StoredWorkItem | null> {
  const result = await db.query<WorkItemRow & { case_ref: string; closed_by_case: boolean }>(
    `SELECT ${COLUMNS}, case_ref, closed_by_case FROM team_tasks WHERE municipality = $1 AND item_id = $2`,
    [municipality, id],
  );
  const row = result.rows[0];
  return row
    ? { ...summaryOf(row), packetSealed: row.details_sealed, caseRef: row.case_ref, closedByCase: row.closed_by_case }
    : null;
}

export type WorkChange =
  | { kind: 'changed'; item: StoredWorkItem }
  | { kind: 'conflict'; reason: string; item: StoredWorkItem }
  | { kind: 'not_found' };

async function changed(
  db: Queryable,
  municipality: string,
  id: string,
  updated: boolean,
  conflict: (item: StoredWorkItem) => string | null,
): Promise<WorkChange> {
  const item = await findWorkItem(db, municipality, id);
  if (!item) return { kind: 'not_found' };
  if (updated) return { kind: 'changed', item };
  const reason = conflict(item);
  return reason ? { kind: 'conflict', reason, item } : { kind: 'changed', item };
}

/** Claims an open item for `by` (an API key ID); claiming one's own claim again changes nothing. */
export async function claimWorkItem(db: Queryable, municipality: string, id: string, by: string): Promise<WorkChange> {
  const result = await db.query(
    `UPDATE team_tasks SET status = 'claimed', claimed_by = $3, claimed_at = now()
      WHERE municipality = $1 AND item_id = $2 AND status = 'open'`,
    [municipality, id, by],
  );
  return changed(db, municipality, id, result.rowCount === 1, (item) => {
    if (item.doneAt !== null) return 'the work item is done';
    return item.claimedBy === by ? null : 'the work item is claimed by someone else';
  });
}

/** Gives a claimed item back to the team; only its claimer may, and releasing an open item changes nothing. */
export async function releaseWorkItem(
  db: Queryable,
  municipality: string,
  id: string,
  by: string,
): Promise<WorkChange> {
  const result = await db.query(
    `UPDATE team_tasks SET status = 'open', claimed_by = NULL, claimed_at = NULL
      WHERE municipality = $1 AND item_id = $2 AND status = 'claimed' AND claimed_by = $3`,
    [municipality, id, by],
  );
  return changed(db, municipality, id, result.rowCount === 1, (item) => {
    if (item.doneAt !== null) return 'the work item is done';
    return item.claimedBy === null ? null : 'the work item is claimed by someone else';
  });
}

/**
 * Marks an item done with its outcome, unless someone else holds it. The same outcome twice changes nothing; another
 * outcome for a done item is a conflict. An item the case closed takes the outcome the case accepted after all.
 */
export async function completeWorkItem(
  db: Queryable,
  municipality: string,
  id: string,
  by: string,
  outcome: string,
): Promise<WorkChange> {
  const result = await db.query(
    `UPDATE team_tasks SET status = 'done', outcome = $4, done_by = $3, done_at = now(), claimed_by = COALESCE(claimed_by, $3),
           closed_by_case = false
      WHERE municipality = $1 AND item_id = $2 AND (status <> 'done' OR closed_by_case)
        AND (claimed_by IS NULL OR claimed_by = $3)`,
    [municipality, id, by, outcome],
  );
  return changed(db, municipality, id, result.rowCount === 1, (item) => {
    if (item.doneAt !== null) return item.outcome === outcome ? null : `the work item is done with ${item.outcome}`;
    return 'the work item is claimed by someone else';
  });
}

/** Closes an open item the case no longer waits for, with the reason as its outcome; a done item stays as it is. */
export async function closeWorkItemForCase(
  db: Queryable,
  municipality: string,
  key: string,
  reason: 'lapsed' | 'not_needed',
): Promise<void> {
  await db.query(
    `UPDATE team_tasks SET status = 'done', outcome = $3, done_at = now(), closed_by_case = true
      WHERE municipality = $1 AND task_key = $2 AND status <> 'done'`,
    [municipality, key, reason],
  );
}

/**
 * Counts the `reminder`th reminder of an open item as sent; the item's ID for the first caller only, null when the
 * item is done, unknown, or was reminded already.
 */
export async function markWorkItemReminded(
  db: Queryable,
  municipality: string,
  key: string,
  reminder: number,
): Promise<{ id: string; team: Team; kind: WorkItemKind; dueAt: string; dagdeel: Dagdeel | null } | null> {
  const result = await db.query<{ item_id: string; team: Team; kind: WorkItemKind; due_at: Date; dagdeel: Dagdeel }>(
    `UPDATE team_tasks SET reminders_sent = $3
      WHERE municipality = $1 AND task_key = $2 AND status <> 'done' AND reminders_sent < $3
      RETURNING item_id, team, kind, due_at, dagdeel`,
    [municipality, key, reminder],
  );
  const row = result.rows[0];
  return row
    ? { id: row.item_id, team: row.team, kind: row.kind, dueAt: row.due_at.toISOString(), dagdeel: row.dagdeel }
    : null;
}

/** Undoes `markWorkItemReminded` when the reminder failed, so the activity's retry sends it. */
export async function clearWorkItemReminded(db: Queryable, id: string, reminder: number): Promise<void> {
  await db.query('UPDATE team_tasks SET reminders_sent = $2 - 1 WHERE item_id = $1 AND reminders_sent = $2', [
    id,
    reminder,
  ]);
}

/** Marks that the team was told of the item; true for the first caller only, so a retry never notifies twice. */
export async function markWorkItemNotified(db: Queryable, id: string): Promise<boolean> {
  const result = await db.query(
    'UPDATE team_tasks SET notified_at = now() WHERE item_id = $1 AND notified_at IS NULL',
    [id],
  );
  return result.rowCount === 1;
}

/** Undoes `markWorkItemNotified` when the notice failed, so the activity's retry sends it. */
export async function clearWorkItemNotified(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE team_tasks SET notified_at = NULL WHERE item_id = $1', [id]);
}

export interface TeamNotificationChannel {
  municipality: string;
  team: Team;
  mailbox: string | null;
  webhookUrl: string | null;
  webhookSecretSealed: string | null;
}

export async function upsertTeamNotificationChannel(db: Queryable, channel: TeamNotificationChannel): Promise<void> {
  await db.query(
    `INSERT INTO team_notification_channels (municipality, team, mailbox, webhook_url, webhook_secret_sealed)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (municipality, team) DO UPDATE SET mailbox = EXCLUDED.mailbox, webhook_url = EXCLUDED.webhook_url,
       webhook_secret_sealed = EXCLUDED.webhook_secret_sealed`,
    [channel.municipality, channel.team, channel.mailbox, channel.webhookUrl, channel.webhookSecretSealed],
  );
}

export async function findTeamNotificationChannel(
  db: Queryable,
  municipality: string,
  team: Team,
): Promise<TeamNotificationChannel | null> {
  const result = await db.query<{
    mailbox: string | null;
    webhook_url: string | null;
    webhook_secret_sealed: string | null;
  }>(
    'SELECT mailbox, webhook_url, webhook_secret_sealed FROM team_notification_channels WHERE municipality = $1 AND team = $2',
    [municipality, team],
  );
  const row = result.rows[0];
  return row
    ? {
        municipality,
        team,
        mailbox: row.mailbox,
        webhookUrl: row.webhook_url,
        webhookSecretSealed: row.webhook_secret_sealed,
      }
    : null;
}

/** Every configured team channel, for the operator's overview; the webhook secret stays sealed. */
export async function listTeamNotificationChannels(db: Queryable): Promise<TeamNotificationChannel[]> {
  const result = await db.query<{
    municipality: string;
    team: Team;
    mailbox: string | null;
    webhook_url: string | null;
    webhook_secret_sealed: string | null;
  }>(
    `SELECT municipality, team, mailbox, webhook_url, webhook_secret_sealed FROM team_notification_channels
      ORDER BY municipality, team`,
  );
  return result.rows.map((row) => ({
    municipality: row.municipality,
    team: row.team,
    mailbox: row.mailbox,
    webhookUrl: row.webhook_url,
    webhookSecretSealed: row.webhook_secret_sealed,
  }));
}

export async function deleteTeamNotificationChannel(db: Queryable, municipality: string, team: Team): Promise<boolean> {
  const result = await db.query('DELETE FROM team_notification_channels WHERE municipality = $1 AND team = $2', [
    municipality,
    team,
  ]);
  return result.rowCount === 1;
}
