import { describeScenarioGroup } from './scenario-expectations';

describe('scenarios: rounds and municipal presets', () => {
  describeScenarioGroup('rounds');
});
