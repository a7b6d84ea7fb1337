import { ApplicationFailure } from '@temporalio/common';
import type { CaseActivities } from './types';
import { signResidentToken } from '../common/resident-token';

export interface ResidentLinkDeps {
  /** RESIDENT_LINK_SECRET; the API verifies with the same secret. */
  secret: string;
  /** PUBLIC_BASE_URL, where the API serves /r/{token}. */
  publicBaseUrl: string;
}

export function createResidentLinkActivities(deps: ResidentLinkDeps): Pick<CaseActivities, 'residentLink'> {
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  return {
    async residentLink(input) {
      const expMs = Date.parse(input.expiresAt);
      if (Number.isNaN(expMs))
        throw ApplicationFailure.nonRetryable('residentLink: expiresAt is not an ISO 8601 instant');
      const token = signResidentToken(deps.secret, {
        caseId: input.caseId,
        round: input.round,
        purpose: 'choose_moment',
        exp: Math.floor(expMs / 1000),
      });
      return `${base}/r/${token}`;
    },
  };
}
