/**
 * Development accounts of the local OpenID provider (`npm start`, the tests): one per team and an admin for Den Haag
 * (0518), and one of Amsterdam (0363) to show that municipalities never see each other's cases. All share one
 * password; the README lists them. Never used outside this machine.
 */
export interface DevAccount {
  login: string;
  name: string;
  gemeente: string;
  teams: string[];
  role: 'staff' | 'admin';
}

export const DEV_PASSWORD = 'ontwikkeling';

const TEAMS_0518 = ['callcentre', 'visits', 'wijkteam', 'sdv', 'budgetcoach', 'meldpunt'] as const;

export const DEV_ACCOUNTS: DevAccount[] = [
  ...TEAMS_0518.map((team) => ({
    login: `${team}-0518`,
    name: `Medewerker ${team}`,
    gemeente: '0518',
    teams: [team],
    role: 'staff' as const,
  })),
  { login: 'admin-0518', name: 'Beheerder Den Haag', gemeente: '0518', teams: [...TEAMS_0518], role: 'admin' },
  { login: 'callcentre-0363', name: 'Medewerker Amsterdam', gemeente: '0363', teams: ['callcentre'], role: 'staff' },
];
