import { createHash } from 'node:crypto';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { version as packageVersion } from '../package.json';

/**
 * The worker's Worker Deployment Version, or none (development, tests): unversioned workers take every task of their
 * queue. The build ID defaults to the package version plus a hash of the workflow bundle, so two builds with the same
 * workflow code share a version and any change to it makes a new one.
 */
export function workerDeployment(
  settings: { WORKER_DEPLOYMENT_NAME?: string; WORKER_BUILD_ID?: string },
  workflowBundleCode: string,
): WorkerDeploymentOptions | undefined {
  if (!settings.WORKER_DEPLOYMENT_NAME) return undefined;
  return {
    version: {
      deploymentName: settings.WORKER_DEPLOYMENT_NAME,
      buildId: settings.WORKER_BUILD_ID ?? defaultBuildId(workflowBundleCode),
    },
    useWorkerVersioning: true,
    // Case runs declare PINNED themselves; the daily retention loop and the round boundary follow the current version.
    defaultVersioningBehavior: 'AUTO_UPGRADE',
  };
}

export function defaultBuildId(workflowBundleCode: string): string {
  const hash = createHash('sha256').update(workflowBundleCode).digest('hex').slice(0, 12);
  return `${packageVersion}+${hash}`;
}
