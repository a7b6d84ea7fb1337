import type { MunicipalityDetails } from '../activities/channels';

/**
 * What residents read about their municipality: name, return address, phone. The four presets' municipalities are
 * listed; others get a neutral fallback until they add themselves here.
 */
const MUNICIPALITIES: Record<string, Omit<MunicipalityDetails, 'code'>> = {
  '0392': { name: 'Haarlem', returnAddress: ['Postbus 511', '2003 PB Haarlem'], phone: '14 023', website: 'haarlem.nl', team: 'Team Vroegsignalering' },
  '0637': { name: 'Zoetermeer', returnAddress: ['Postbus 15', '2700 AA Zoetermeer'], phone: '14 079', website: 'zoetermeer.nl', team: 'Team Vroegsignalering' },
  '0109': { name: 'Coevorden', returnAddress: ['Postbus 2', '7740 AA Coevorden'], phone: '14 0524', website: 'coevorden.nl', team: 'Team Vroegsignalering' },
  '0518': { name: 'Den Haag', returnAddress: ['Postbus 12600', '2500 DJ Den Haag'], phone: '14 070', website: 'denhaag.nl', team: 'Team Vroegsignalering' },
};

export function municipalityDetails(code: string): MunicipalityDetails {
  const known = MUNICIPALITIES[code];
  return known ? { code, ...known } : { code, name: `gemeente ${code}`, returnAddress: [`Gemeente ${code}`] };
}
