import { describeScenarioGroup } from './scenario-expectations';

describe('scenarios: routing, checks and stops', () => {
  describeScenarioGroup('routing');
});
