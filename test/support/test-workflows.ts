// The workflow bundle for tests: the production workflows plus the scenario runner's driver.
export * from '../../workflows';
export { scenarioDriver, residentReaction } from '../../tools/scenario/driver-workflow';
