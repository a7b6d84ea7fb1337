import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import twilio from 'twilio';
import type { Logger } from 'pino';
import type { CaseEvent } from '../../domain/events';
import { toE164 } from '../../common/phone-number';

export type InboundChannel = 'sms' | 'whatsapp';

/**
 * Finds the open cases a resident's number belongs to, most recent first. `municipality` comes from the inbound
 * URL (one Twilio number per municipality: /inbound/<code>); without it the lookup searches all municipalities
 * that share the number. Return [] for an unknown number.
 */
export type FindCaseByPhone = (query: {
  phone: string;
  municipality?: string;
  channel: InboundChannel;
}) => Promise<string[]>;

export interface TwilioWebhookOptions {
  authToken: string;
  /** Scheme and host Twilio calls (plus any prefix a proxy strips), e.g. https://bereik.example.nl. */
  publicBaseUrl: string;
  deliver: (caseId: string, event: CaseEvent) => Promise<void>;
  /** Needed for inbound SMS/WhatsApp; without it replies are acknowledged and dropped. */
  findCaseByPhone?: FindCaseByPhone;
  logger?: Logger;
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Keywords that stop messages: ours plus the ones Twilio itself enforces on its numbers (STOP, UNSUBSCRIBE, ...). */
const STOP_WORDS = new Set([
  'stop',
  'stoppen',
  'stopall',
  'unsubscribe',
  'cancel',
  'end',
  'quit',
  'afmelden',
  'uitschrijven',
  'durdur',
  'توقف',
]);

export function isStopMessage(body: string): boolean {
  const word = body
    .normalize('NFKC')
    .trim()
    .replace(/[\s.!?؟,،]+$/u, '')
    .toLowerCase();
  return STOP_WORDS.has(word);
}

export type CallOutcomeValue = Extract<CaseEvent, { type: 'call_outcome' }>['outcome'];

/**
 * Twilio CallStatus → outcome, or null for progress events. Only the final status is delivered, so each call is
 * one attempt: 'in-progress' (answered) is always followed by 'completed' with the same information. Voicemail
 * and fax (AnsweredBy machine_* / fax, with answering-machine detection on) count as no-answer.
 */
export function callOutcome(status: string | undefined, answeredBy?: string): CallOutcomeValue | null {
  switch (status) {
    case 'completed':
      return answeredBy && (answeredBy.startsWith('machine') || answeredBy === 'fax') ? 'no-answer' : 'answered';
    case 'busy':
      return 'busy';
    case 'no-answer':
      return 'no-answer';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

export function twilioWebhooks(options: TwilioWebhookOptions): Router {
  const router = express.Router();
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  const log = options.logger;

  router.use(express.urlencoded({ extended: false, limit: '64kb' }));
  router.use((req: Request, res: Response, next: NextFunction) => {
    const signature = req.header('x-twilio-signature');
    const params = (req.body ?? {}) as Record<string, string>;
    if (!signature || !twilio.validateRequest(options.authToken, signature, `${base}${req.originalUrl}`, params)) {
      log?.warn({ path: req.path }, 'twilio webhook with missing or wrong signature');
      res.status(403).type('text/plain').send('forbidden');
      return;
    }
    next();
  });

  /** The form fields Twilio sent. A field that comes more than once is no field Twilio sends, so it counts as absent. */
  const fieldsOf = (req: Request): Record<string, string | undefined> =>
    Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );

  const ref = (req: Request) => {
    const q = req.query as Record<string, unknown>;
    const caseId = typeof q.case === 'string' && q.case.length > 0 && q.case.length <= 200 ? q.case : null;
    const attempt =
      typeof q.attempt === 'string' && /^[1-9][0-9]{0,3}$/.test(q.attempt) ? Number(q.attempt) : undefined;
    const key = typeof q.key === 'string' ? q.key : undefined;
    return { caseId, attempt, key };
  };

  const deliver = async (res: Response, caseIds: string[], event: CaseEvent, reply: () => void) => {
    try {
      for (const caseId of caseIds) await options.deliver(caseId, event);
    } catch (error) {
      log?.error(
        { err: error instanceof Error ? error.message : String(error), event: event.type },
        'delivering a twilio event failed',
      );
      res.status(500).type('text/plain').send('not delivered');
      return;
    }
    reply();
  };

  router.post('/call-status', async (req, res) => {
    const { caseId, attempt } = ref(req);
    if (!caseId) return void res.status(400).type('text/plain').send('case missing');
    const body = fieldsOf(req);
    const outcome = callOutcome(body.CallStatus, body.AnsweredBy);
    if (!outcome) return void res.status(204).end();
    await deliver(res, [caseId], { type: 'call_outcome', outcome, ...(attempt ? { attempt } : {}) }, () =>
      res.status(204).end(),
    );
  });

  router.post('/message-status', async (req, res) => {
    const { caseId, key } = ref(req);
    if (!caseId) return void res.status(400).type('text/plain').send('case missing');
    const body = fieldsOf(req);
    const status = body.MessageStatus;
    if (status !== 'delivered' && status !== 'undelivered' && status !== 'failed') return void res.status(204).end();
    const messageRef = body.MessageSid ?? body.SmsSid ?? key;
    if (!messageRef) return void res.status(400).type('text/plain').send('message reference missing');
    await deliver(res, [caseId], { type: 'message_status', messageRef: messageRef.slice(0, 100), status }, () =>
      res.status(204).end(),
    );
  });

  router.post(['/inbound', '/inbound/:municipality'], async (req, res) => {
    const twiml = () => res.status(200).type('text/xml').send(EMPTY_TWIML);
    const body = fieldsOf(req);
    const from = body.From ?? '';
    const channel: InboundChannel = from.toLowerCase().startsWith('whatsapp:') ? 'whatsapp' : 'sms';
    const phone = toE164(from);
    if (!phone || !options.findCaseByPhone) return void twiml();
    const municipality = typeof req.params.municipality === 'string' ? req.params.municipality : undefined;
    let cases: string[];
    try {
      cases = await options.findCaseByPhone({ phone, municipality, channel });
    } catch (error) {
      log?.error(
        { err: error instanceof Error ? error.message : String(error) },
        'finding the case for an inbound message failed',
      );
      return void res.status(500).type('text/plain').send('lookup failed');
    }
    if (cases.length === 0) {
      log?.info({ channel }, 'inbound message from a number without an open case');
      return void twiml();
    }
    const event: CaseEvent = isStopMessage(body.Body ?? '')
      ? { type: 'objection', channel }
      : { type: 'resident_contact', channel };
    await deliver(res, cases, event, twiml);
  });

  return router;
}
