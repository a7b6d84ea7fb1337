// Everything the worker's workflow bundle contains.
export { caseWorkflow, caseRoundBoundary } from './case/case-workflow';
export { retentionWorkflow } from './retention-workflow';
export { ddasDeliveryWorkflow } from './ddas-delivery';
