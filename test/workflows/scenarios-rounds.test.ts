import { readdirSync } from 'node:fs';
import { SCENARIO_DIR } from '../support/scenarios';
import { describeScenarios, EXPECTATIONS } from './scenario-expectations';

describe('scenarios: rounds and municipal presets', () => {
  describeScenarios(['15-reopen-warm-and-meldpunt.json', '16-repeat-signal-not-worked.json', '17-dormant-watch-expires.json', '19-haarlem-high-amount-to-call-centre.json', '20-zoetermeer-light-still-called.json', '21-coevorden-letter-always.json', '23-rent-signal-raises-the-segment.json']);

  test('every shipped scenario has expectations', () => {
    expect(readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(EXPECTATIONS).sort());
  });
});
