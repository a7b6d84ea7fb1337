/** The teams that receive work from a case; a staff key scoped to one of them sees that team's work only. */
export const TEAMS = ['callcentre', 'visits', 'wijkteam', 'sdv', 'budgetcoach', 'meldpunt'] as const;
export type Team = (typeof TEAMS)[number];

/** The associated data that binds a team's sealed webhook secret to its municipality and team. */
export function webhookSecretAad(municipality: string, team: Team): string[] {
  return ['team-webhook-secret', municipality, team];
}

export function isTeam(value: string): value is Team {
  return (TEAMS as readonly string[]).includes(value);
}

/** A partner key's scope: the signal partner it speaks for, an identifier safe to store and log. */
export const PARTNER_SCOPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why a key's scope does not fit its role, or undefined when it does. Keys without a scope keep their meaning. */
export function apiKeyScopeProblem(role: 'intake' | 'staff' | 'admin' | 'partner', scope: string | undefined) {
  if (role === 'partner')
    return scope && PARTNER_SCOPE.test(scope)
      ? undefined
      : 'a partner key needs a scope naming its signal partner (letters, digits, ".", "_" or "-")';
  if (scope === undefined) return undefined;
  if (role === 'staff') return isTeam(scope) ? undefined : `a staff key's scope must be a team: ${TEAMS.join(', ')}`;
  return `a ${role} key takes no scope`;
}
