import { describeScenarios } from './scenario-expectations';

describe('scenarios: routing, checks and stops', () => {
  describeScenarios(['06-priority-rent-arrears.json', '07-crisis-signal.json', '08-meervoudig-one-case.json', '09-arrears-resolved-mid-round.json', '10-objection-stops-contact.json', '11-known-at-sdv.json', '12-moved-away.json', '13-deceased.json', '24-events-that-do-not-fit.json', '25-no-calls-after-phone-objection.json']);
});
