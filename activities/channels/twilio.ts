import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type { Logger } from 'pino';
import type { CountryCode } from 'libphonenumber-js/max';
import { RateLimiter, systemClock, type Clock, type RateLimit, type RateLimitObserver } from './rate-limit';
import { sendOnce, type SentStore } from './sent-store';
import { fromTwilioLineType, notSmsReason, numberingPlanLineType, smsCapable, toE164, type LineType } from './phone';

export interface TwilioRateLimits {
  messages: RateLimit;
  calls: RateLimit;
  lookups: RateLimit;
}

/** Per-municipality numbers and limits; anything left out falls back to the adapter-wide value. */
export interface TwilioMunicipalitySettings {
  from?: string;
  whatsappFrom?: string;
  callerId?: string;
  callCentreNumber?: string;
  rateLimit?: Partial<TwilioRateLimits>;
}

export interface TwilioChannelOptions {
  accountSid: string;
  authToken: string;
  /** SMS sender: E.164 number or alphanumeric sender ID. */
  from: string;
  /** WhatsApp sender in E.164; "whatsapp:" is added. */
  whatsappFrom?: string;
  /** Caller ID residents see (E.164, a Twilio number or verified caller ID of the municipality). */
  callerId: string;
  /** The call centre the resident is connected to: E.164 number or sip: URI. */
  callCentreNumber: string;
  /** Replaces https://<anything>.twilio.com, e.g. a local Prism. */
  apiUrl?: string;
  /** Replaces https://lookups.twilio.com when Lookups is served separately (a second Prism). */
  lookupsUrl?: string;
  /** Public base URL of the webhook router, e.g. https://bereik.example.nl/webhooks/twilio. */
  statusCallbackBase: string;
  /** Per municipality and per kind; defaults: 1 message/s, 1 call/s, 5 lookups/s, burst 1, queue ≤ 60 s. */
  rateLimit?: Partial<TwilioRateLimits>;
  /** Told of sends that wait for their slot; its keys are `${municipality}|${kind}` (kind: messages, calls, lookups). */
  rateLimitObserver?: RateLimitObserver;
  municipalities?: Record<string, TwilioMunicipalitySettings>;
  sentStore: SentStore;
  defaultCountry?: CountryCode;
  /** Answering-machine detection, so voicemail is reported as no-answer (default true). */
  machineDetection?: boolean;
  /** Fetch the call's TwiML from this URL instead of sending inline TwiML (query gets case/round/attempt). */
  voiceUrl?: string;
  /** Seconds the resident's phone rings (default 30). */
  ringSeconds?: number;
  /** Twilio drops an SMS still queued after this long (default 4 h), so it never arrives late in the evening. */
  validityPeriodSeconds?: number;
  /** How long a line-type lookup is reused (default 24 h); Lookups cost money per request. */
  lineTypeCacheMs?: number;
  /** HTTP timeout per request (default 15 s). */
  timeoutMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** Where status callbacks go; only opaque identifiers, never personal data. */
export interface CallbackRef {
  caseId: string;
  round: number;
}

export interface OutboundMessage {
  municipality: string;
  /** messageKey: one message, however often the activity is retried. */
  key: string;
  to: string;
  body: string;
  callback: CallbackRef;
}

export interface OutboundWhatsApp extends OutboundMessage {
  /** Approved WhatsApp template (Content API); required outside the 24-hour customer-service window. */
  contentSid?: string;
  contentVariables?: Record<string, string>;
}

export interface OutboundCall {
  municipality: string;
  key: string;
  to: string;
  attempt: number;
  callback: CallbackRef;
  /** Text-to-speech before the call centre is dialled. */
  greeting?: { text: string; voiceLanguage: string };
}

export type MessageOutcome =
  { sent: true; providerRef: string; duplicate: boolean } | { sent: false; providerRef: null; reason: string };

export type CallOutcome =
  { placed: true; providerRef: string; duplicate: boolean } | { placed: false; providerRef: null; reason: string };

export interface LineTypeResult {
  lineType: LineType;
  mobile: boolean;
  source: 'lookup' | 'numbering-plan' | 'cache';
}

export interface TwilioChannel {
  readonly client: twilio.Twilio;
  sendSms(message: OutboundMessage): Promise<MessageOutcome>;
  sendWhatsApp(message: OutboundWhatsApp): Promise<MessageOutcome>;
  placeCall(call: OutboundCall): Promise<CallOutcome>;
  lookupLineType(query: { municipality: string; phone: string }): Promise<LineTypeResult>;
}

/** The twilio client has no base-URL option; this rewrites its https://*.twilio.com requests. */
export class RewritingRequestClient extends twilio.RequestClient {
  constructor(
    private readonly apiUrl: string | undefined,
    private readonly lookupsUrl: string | undefined,
    options?: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  rewrite(uri: string): string {
    const url = new URL(uri);
    if (!/(^|\.)twilio\.com$/.test(url.hostname)) return uri;
    const base = url.hostname === 'lookups.twilio.com' ? (this.lookupsUrl ?? this.apiUrl) : this.apiUrl;
    return base ? `${base.replace(/\/+$/, '')}${url.pathname}${url.search}` : uri;
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: this.rewrite(opts.uri) });
  }
}

/** Twilio error codes meaning "this channel cannot reach this resident"; the workflow then picks another. */
const UNDELIVERABLE: Record<number, string> = {
  21211: 'invalid-number',
  21214: 'unreachable',
  21610: 'opted-out',
  21612: 'unreachable',
  21614: 'landline',
  63003: 'not-on-whatsapp',
  63016: 'whatsapp-template-required',
  63024: 'not-on-whatsapp',
};

interface RestError {
  status: number;
  code?: number;
  message: string;
}

export function isRestException(error: unknown): error is RestError {
  return (
    error instanceof twilio.RestException ||
    (typeof error === 'object' &&
      error !== null &&
      typeof (error as RestError).status === 'number' &&
      'moreInfo' in error)
  );
}

/** True when the error proves the provider did not accept the request, so sending again is safe. */
export function providerRefused(error: unknown): boolean {
  if (isRestException(error)) return error.status < 500;
  const code = (error as { code?: string } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ERR_INVALID_URL';
}

/** True when retrying the same request cannot succeed (bad request, auth, unknown resource); 429 is transient. */
export function isPermanentProviderError(error: unknown): boolean {
  return isRestException(error) && error.status >= 400 && error.status < 500 && error.status !== 429;
}

const DEFAULT_LIMITS: TwilioRateLimits = {
  messages: { perSecond: 1, burst: 1, maxWaitMs: 60_000 },
  calls: { perSecond: 1, burst: 1, maxWaitMs: 60_000 },
  lookups: { perSecond: 5, burst: 5, maxWaitMs: 60_000 },
};

export function createTwilioChannel(options: TwilioChannelOptions): TwilioChannel {
  const clock = options.clock ?? systemClock;
  const log = options.logger;
  const country = options.defaultCountry ?? 'NL';
  const base = options.statusCallbackBase.replace(/\/+$/, '');
  const httpClient = new RewritingRequestClient(options.apiUrl, options.lookupsUrl, {
    timeout: options.timeoutMs ?? 15_000,
    autoRetry: true, // only on 429, which means Twilio did not accept the request
    maxRetries: 3,
  });
  const client = twilio(options.accountSid, options.authToken, { httpClient });

  const settings = (municipality: string) => {
    const own = options.municipalities?.[municipality] ?? {};
    return {
      from: own.from ?? options.from,
      whatsappFrom: own.whatsappFrom ?? options.whatsappFrom,
      callerId: own.callerId ?? options.callerId,
      callCentreNumber: own.callCentreNumber ?? options.callCentreNumber,
    };
  };
  const limiter = new RateLimiter(
    (key) => {
      const [municipality, kind] = key.split('|') as [string, keyof TwilioRateLimits];
      return {
        ...DEFAULT_LIMITS[kind],
        ...options.rateLimit?.[kind],
        ...options.municipalities?.[municipality]?.rateLimit?.[kind],
      };
    },
    clock,
    options.rateLimitObserver,
  );
  const take = (municipality: string, kind: keyof TwilioRateLimits) => () => limiter.take(`${municipality}|${kind}`);

  const callbackUrl = (path: string, params: Record<string, string | number>) =>
    `${base}/${path}?${queryString(params)}`;

  const lineTypeCache = new Map<string, { result: LineTypeResult; until: number }>();
  const cacheMs = options.lineTypeCacheMs ?? 24 * 3600_000;

  async function lookupLineType(query: { municipality: string; phone: string }): Promise<LineTypeResult> {
    const e164 = toE164(query.phone, country);
    if (!e164) return { lineType: 'invalid', mobile: false, source: 'numbering-plan' };
    const cached = lineTypeCache.get(e164);
    if (cached && cached.until > clock.now()) return { ...cached.result, source: 'cache' };
    let result: LineTypeResult;
    try {
      await take(query.municipality, 'lookups')();
      const found = await client.lookups.v2.phoneNumbers(e164).fetch({ fields: 'line_type_intelligence' });
      const lineType = found.valid === false ? 'invalid' : fromTwilioLineType(found.lineTypeIntelligence?.type);
      result =
        lineType === 'unknown'
          ? { lineType: numberingPlanLineType(e164), mobile: false, source: 'numbering-plan' }
          : { lineType, mobile: false, source: 'lookup' };
    } catch (error) {
      // Lookups is an optimisation: without it the Dutch numbering plan is a good guide (06 = mobile).
      log?.warn({ err: describe(error) }, 'line type lookup failed; using the numbering plan');
      result = { lineType: numberingPlanLineType(e164), mobile: false, source: 'numbering-plan' };
    }
    result.mobile = smsCapable(result.lineType);
    // Only real answers are cached: after a Lookups outage the next message asks again.
    if (result.source === 'lookup') {
      if (lineTypeCache.size >= 10_000) lineTypeCache.delete(lineTypeCache.keys().next().value as string);
      lineTypeCache.set(e164, { result, until: clock.now() + cacheMs });
    }
    return result;
  }

  async function sendMessage(
    channel: 'sms' | 'whatsapp',
    message: OutboundWhatsApp,
    params: () => Parameters<typeof client.messages.create>[0],
  ): Promise<MessageOutcome> {
    const key = `${channel}:${message.key}`;
    const outcome = await sendOnce(options.sentStore, key, {
      beforeSend: take(message.municipality, 'messages'),
      send: async () => ({ ref: (await client.messages.create(params())).sid }),
      refused: providerRefused,
      now: () => new Date(clock.now()),
    }).catch((error: unknown) => {
      const reason = isRestException(error) && error.code ? UNDELIVERABLE[error.code] : undefined;
      if (reason) return { outcome: 'undeliverable' as const, reason };
      throw error;
    });
    switch (outcome.outcome) {
      case 'done':
        log?.info({ key, sid: outcome.value.ref }, `${channel} sent`);
        return { sent: true, providerRef: outcome.value.ref, duplicate: false };
      case 'already':
        return { sent: true, providerRef: outcome.ref, duplicate: true };
      case 'uncertain':
        log?.warn(
          { key, since: outcome.since },
          `${channel} outcome of an earlier attempt is unknown; not sending again`,
        );
        return { sent: false, providerRef: null, reason: 'uncertain' };
      case 'undeliverable':
        return { sent: false, providerRef: null, reason: outcome.reason };
    }
  }

  function statusCallback(message: OutboundMessage): string {
    return callbackUrl('message-status', {
      case: message.callback.caseId,
      round: message.callback.round,
      key: message.key,
    });
  }

  async function sendSms(message: OutboundMessage): Promise<MessageOutcome> {
    const to = toE164(message.to, country);
    if (!to) return { sent: false, providerRef: null, reason: 'invalid-number' };
    const previous = await options.sentStore.get(`sms:${message.key}`);
    if (!previous || previous.state === 'failed') {
      const line = await lookupLineType({ municipality: message.municipality, phone: to });
      if (!line.mobile) return { sent: false, providerRef: null, reason: notSmsReason(line.lineType) };
    }
    const from = settings(message.municipality).from;
    return sendMessage('sms', message, () => ({
      to,
      from,
      body: message.body,
      statusCallback: statusCallback(message),
      validityPeriod: options.validityPeriodSeconds ?? 4 * 3600,
    }));
  }

  async function sendWhatsApp(message: OutboundWhatsApp): Promise<MessageOutcome> {
    const to = toE164(message.to, country);
    if (!to) return { sent: false, providerRef: null, reason: 'invalid-number' };
    const from = settings(message.municipality).whatsappFrom;
    if (!from) return { sent: false, providerRef: null, reason: 'whatsapp-not-configured' };
    return sendMessage('whatsapp', message, () => ({
      to: `whatsapp:${to}`,
      from: `whatsapp:${from.replace(/^whatsapp:/, '')}`,
      statusCallback: statusCallback(message),
      ...(message.contentSid
        ? { contentSid: message.contentSid, contentVariables: JSON.stringify(message.contentVariables ?? {}) }
        : { body: message.body }),
    }));
  }

  function connectTwiml(municipality: string, greeting: OutboundCall['greeting']): string {
    const { callerId, callCentreNumber } = settings(municipality);
    const response = new twilio.twiml.VoiceResponse();
    if (greeting)
      response.say({ language: greeting.voiceLanguage as VoiceResponse.SayAttributes['language'] }, greeting.text);
    const dial = response.dial({ callerId, timeout: 30 });
    if (/^sips?:/i.test(callCentreNumber)) dial.sip(callCentreNumber);
    else dial.number(callCentreNumber);
    return response.toString();
  }

  async function placeCall(call: OutboundCall): Promise<CallOutcome> {
    const to = toE164(call.to, country);
    if (!to) return { placed: false, providerRef: null, reason: 'invalid-number' };
    const { callerId } = settings(call.municipality);
    const query = { case: call.callback.caseId, round: call.callback.round, attempt: call.attempt, key: call.key };
    const key = `call:${call.key}`;
    const outcome = await sendOnce(options.sentStore, key, {
      beforeSend: take(call.municipality, 'calls'),
      send: async () => {
        const created = await client.calls.create({
          to,
          from: callerId,
          ...(options.voiceUrl
            ? { url: `${options.voiceUrl}${options.voiceUrl.includes('?') ? '&' : '?'}${queryString(query)}` }
            : { twiml: connectTwiml(call.municipality, call.greeting) }),
          // Without StatusCallbackEvent Twilio reports only the final status, the one the webhook turns into the
          // call's outcome. (Listing events also repeats a form key that Prism's mock of the contract refuses.)
          statusCallback: callbackUrl('call-status', query),
          statusCallbackMethod: 'POST',
          timeout: options.ringSeconds ?? 30,
          ...(options.machineDetection === false ? {} : { machineDetection: 'Enable' }),
        });
        return { ref: created.sid };
      },
      refused: providerRefused,
      now: () => new Date(clock.now()),
    });
    switch (outcome.outcome) {
      case 'done':
        log?.info({ key, sid: outcome.value.ref }, 'call placed');
        return { placed: true, providerRef: outcome.value.ref, duplicate: false };
      case 'already':
        return { placed: true, providerRef: outcome.ref, duplicate: true };
      case 'uncertain':
        log?.warn({ key, since: outcome.since }, 'outcome of an earlier call attempt is unknown; not calling again');
        return { placed: false, providerRef: null, reason: 'uncertain' };
    }
  }

  return { client, sendSms, sendWhatsApp, placeCall, lookupLineType };
}

function queryString(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

function describe(error: unknown): Record<string, unknown> {
  if (isRestException(error)) return { status: error.status, code: error.code, message: error.message };
  return {
    message: error instanceof Error ? error.message : String(error),
    code: (error as { code?: string } | null)?.code,
  };
}
