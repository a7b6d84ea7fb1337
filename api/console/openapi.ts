/** The staff console's pages in the OpenAPI document: HTML for people, signed in through OpenID Connect. */
export function consolePaths(): Record<string, unknown> {
  const page = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
  const redirect = (description: string) => ({ description });
  const caseParameter = { name: 'case', in: 'path', required: true, schema: { type: 'string' } };
  const itemParameter = { name: 'item', in: 'path', required: true, schema: { type: 'string' } };
  const formBody = (description: string) => ({
    required: true,
    description: `${description} Always with the session's CSRF token in _csrf.`,
    content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['_csrf'] } } },
  });
  const reportParameters = [
    {
      name: 'from',
      in: 'query',
      schema: { type: 'string', format: 'date' },
      description: 'Default: the first day of the month two months ago.',
    },
    { name: 'to', in: 'query', schema: { type: 'string', format: 'date' }, description: 'Inclusive. Default: today.' },
    {
      name: 'by',
      in: 'query',
      schema: { type: 'string', enum: ['channel', 'segment', 'partner', 'dagdeel', 'month'] },
    },
  ];
  const signedIn = {
    '303': redirect('No live session: to /console/aanmelden.'),
  };
  const posted = { '401': page('No live session.'), '403': page('The CSRF token is missing or wrong.') };
  return {
    '/console/': { get: { summary: 'Console: the team queue', responses: { '200': page('The queue.'), ...signedIn } } },
    '/console/assets/{file}': {
      get: {
        summary: 'Console: stylesheets (NL Design System)',
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'CSS.', content: { 'text/css': {} } },
          '404': { description: 'No such file.' },
        },
      },
    },
    '/console/aanmelden': { get: { summary: 'Console: sign-in page', responses: { '200': page('Sign-in link.') } } },
    '/console/auth/start': {
      get: { summary: 'Console: start OpenID Connect sign-in (PKCE)', responses: { '303': redirect('To the IdP.') } },
    },
    '/console/auth/callback': {
      get: {
        summary: 'Console: OpenID Connect redirect back',
        responses: { '303': redirect('Signed in: to the queue.'), '400': page('Sign-in failed or expired.') },
      },
    },
    '/console/afmelden': {
      post: {
        summary: 'Console: sign out',
        requestBody: formBody('Empty form.'),
        responses: { '200': page('Signed out.'), ...posted },
      },
    },
    '/console/zaken/{case}': {
      get: {
        summary: 'Console: a case',
        parameters: [caseParameter],
        responses: { '200': page('The case.'), '404': page('No such case in this municipality.'), ...signedIn },
      },
    },
    '/console/zaken/{case}/gebeurtenis': {
      post: {
        summary: 'Console: record a staff event',
        parameters: [caseParameter],
        requestBody: formBody('The event form, validated like POST /v1/cases/{case}/events.'),
        responses: {
          '303': redirect('Recorded: back to the case.'),
          '404': page('No such case in this municipality.'),
          '409': page("The case's state refused the event: the page with the reason next to the field."),
          '422': page('The form is not valid: the page with the errors next to the fields.'),
          ...posted,
        },
      },
    },
    '/console/werk/{item}': {
      get: {
        summary: 'Console: a work item (contact details for its own team only)',
        parameters: [itemParameter],
        responses: { '200': page('The work item.'), '404': page('No such item for this team.'), ...signedIn },
      },
    },
    '/console/werk/{item}/oppakken': {
      post: {
        summary: 'Console: claim a work item',
        parameters: [itemParameter],
        requestBody: formBody('Empty form.'),
        responses: {
          '303': redirect('Claimed.'),
          '404': page('No such item.'),
          '409': page('Claimed by someone else.'),
          ...posted,
        },
      },
    },
    '/console/werk/{item}/uitkomst': {
      post: {
        summary: "Console: record a work item's outcome (through the case's update, as POST /v1/work/{item}/outcome)",
        parameters: [itemParameter],
        requestBody: formBody('outcome (+ description).'),
        responses: {
          '303': redirect('Recorded.'),
          '404': page('No such item.'),
          '409': page('The case refused the outcome, or the item is done or claimed by someone else.'),
          '422': page('No outcome, or one that does not fit the item.'),
          ...posted,
        },
      },
    },
    '/console/zaken/{case}/audit': {
      get: {
        summary: "Console (admin): a case's audit trail",
        parameters: [caseParameter],
        responses: { '200': page('The audit trail.'), '404': page('No such case, or not an admin.'), ...signedIn },
      },
    },
    '/console/overschrijdingen': {
      get: {
        summary: 'Console (admin): open cases with a breached deadline',
        responses: { '200': page('The breaches.'), '404': page('Not an admin.'), ...signedIn },
      },
    },
    '/console/rapportage': {
      get: {
        summary: "Console: the reach funnel with charts, for staff and admins of the session's municipality",
        parameters: reportParameters,
        responses: { '200': page('The report.'), '400': page('A wrong date or split, with a message.'), ...signedIn },
      },
    },
    '/console/rapportage.csv': {
      get: {
        summary: 'Console: the reach funnel as CSV (the same as GET /v1/reports/funnel with Accept: text/csv)',
        parameters: reportParameters,
        responses: {
          '200': { description: 'CSV, as an attachment.', content: { 'text/csv': { schema: { type: 'string' } } } },
          '400': page('A wrong date or split, with a message.'),
          ...signedIn,
        },
      },
    },
    '/console/zoeken': {
      get: { summary: 'Console: search', responses: { '200': page('The search forms.'), ...signedIn } },
      post: {
        summary: 'Console: search by case reference, or by postcode and huisnummer (keyed blind index)',
        requestBody: formBody('ref, or postcode + huisnummer (+ toevoeging).'),
        responses: {
          '303': redirect('Found: to the case.'),
          '404': page('Nothing found in this municipality.'),
          '422': page('Not a postcode and huisnummer.'),
          ...posted,
        },
      },
    },
  };
}
