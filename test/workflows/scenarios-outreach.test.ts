import { describeScenarioGroup } from './scenario-expectations';

describe('scenarios: outreach ladders', () => {
  describeScenarioGroup('outreach');
});
