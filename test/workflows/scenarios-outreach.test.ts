import { describeScenarios } from './scenario-expectations';

describe('scenarios: outreach ladders', () => {
  describeScenarios(['01-light-invitation-and-reminder.json', '02-light-chosen-moment.json', '03-standard-reached-on-third-call.json', '04-standard-never-reached.json', '05-standard-at-home-on-second-visit.json', '14-no-phone-goes-to-visits.json', '18-chosen-moment-across-dst.json', '22-new-choice-moves-the-call.json']);
});
