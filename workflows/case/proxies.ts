import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../../activities/types';

/** Message, call, visit and handover providers may be down for a while; they retry, idempotently, for a day. */
export const providers = proxyActivities<
  Pick<
    CaseActivities,
    | 'sendMessage'
    | 'residentLink'
    | 'placeCall'
    | 'createVisitTask'
    | 'warmHandover'
    | 'createConversationTask'
    | 'closeWorkItem'
    | 'remindTeam'
  >
>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '15 minutes' },
});

/** Read-model writes and registry look-ups must not give up: the database may be restarting. */
const mustNotGiveUp = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
} as const;

/** BRP, SDV, phone enrichment and line-type look-ups. */
export const registries =
  proxyActivities<Pick<CaseActivities, 'checkResidency' | 'lookupDebtServices' | 'enrichPhone' | 'lookupLineType'>>(
    mustNotGiveUp,
  );

export type ReadModel = Pick<CaseActivities, 'persistCase'>;

/**
 * Since patch 'local-persist' the read-model write runs as a local activity, inside the workflow task that asks
 * for it: a case's most frequent activity then costs no round trip through the server and no workflow task of
 * its own. Only this one: it touches nothing but our own database. Look-ups wait on registries and rate limits,
 * which would hold the worker's workflow task slots.
 */
export const readModel: ReadModel = proxyLocalActivities<ReadModel>(mustNotGiveUp);

/** Cases started before the patch replay their read-model writes as ordinary activities. */
export const readModelBeforeLocalPersist: ReadModel = proxyActivities<ReadModel>(mustNotGiveUp);
