import { API_SPEC, LOOKUPS_SPEC, startPrism, type Prism } from './prism';
import { startRecordingProxy, type RecordedRequest, type RecordingProxy } from './recording-proxy';

export const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
export const TOKEN = 'test-auth-token';

export interface TwilioPeers {
  api: RecordingProxy;
  lookups: RecordingProxy;
  /** Numbers (E.164) for which the Lookups answer gets this line type; the spec has no landline example. */
  lineTypeOverride: Map<string, string>;
  /** Numbers (E.164) for which Messages answers with this Twilio error. */
  messageError: Map<string, { code: number; status: number; message: string }>;
  messagesSent(): RecordedRequest[];
  callsPlaced(): RecordedRequest[];
  lookupsMade(): RecordedRequest[];
  /** Requests Prism did not accept (anything not 2xx), as readable lines; must stay empty. */
  rejected(): string[];
  reset(): void;
  stop(): Promise<void>;
}

/** Two Prisms (REST API 2010 and Lookups v2), each behind a recording proxy. */
export async function startTwilioPeers(): Promise<TwilioPeers> {
  const [apiPrism, lookupsPrism]: Prism[] = await Promise.all([startPrism(API_SPEC), startPrism(LOOKUPS_SPEC)]);
  const lineTypeOverride = new Map<string, string>();
  const messageError = new Map<string, { code: number; status: number; message: string }>();
  const api = await startRecordingProxy(apiPrism.url, {
    arrayFields: ['StatusCallbackEvent'],
    override: (req) => {
      const err = req.path.endsWith('/Messages.json')
        ? messageError.get(req.form.get('To')?.replace(/^whatsapp:/, '') ?? '')
        : undefined;
      return err
        ? { status: err.status, body: { ...err, more_info: `https://www.twilio.com/docs/errors/${err.code}` } }
        : undefined;
    },
  });
  const lookups = await startRecordingProxy(lookupsPrism.url, {
    // Prism answers with the spec's first example (no line type) unless asked for another one.
    prefer: (req) => (req.path.endsWith('+31687654321') ? 'example=fetchLineTypeIntelligence' : undefined),
    override: (req) => {
      const phone = req.path.split('/').pop() as string;
      const type = lineTypeOverride.get(phone);
      if (!type) return undefined;
      const body = JSON.parse(req.upstreamBody as string);
      return {
        status: 200,
        body: {
          ...body,
          phone_number: phone,
          line_type_intelligence: {
            type,
            error_code: null,
            carrier_name: 'KPN',
            mobile_country_code: '204',
            mobile_network_code: '08',
          },
        },
      };
    },
  });
  return {
    api,
    lookups,
    lineTypeOverride,
    messageError,
    messagesSent: () => api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json')),
    callsPlaced: () => api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Calls.json')),
    lookupsMade: () => lookups.requests.filter((r) => r.path.startsWith('/v2/PhoneNumbers/')),
    rejected: () =>
      [...api.requests, ...lookups.requests]
        .filter((r) => !r.upstreamStatus || r.upstreamStatus >= 300)
        .map((r) => `${r.method} ${r.path}: ${r.upstreamStatus} ${r.upstreamBody}`),
    reset: () => {
      api.requests.length = 0;
      lookups.requests.length = 0;
      lineTypeOverride.clear();
      messageError.clear();
    },
    stop: async () => {
      await Promise.all([api.close(), lookups.close()]);
      await Promise.all([apiPrism.stop(), lookupsPrism.stop()]);
    },
  };
}
