import { DateTime } from 'luxon';
import type { CaseView } from '../../domain/case';

export type TimelineEntry = { at: string; case: string; type: string } & Record<string, unknown>;

/**
 * Collects what the recorders saw and turns it into the scenario output: entries sorted by their simulated instant,
 * each case round labelled c1, c2, ... in order of appearance (labels carry no personal data).
 */
export class Timeline {
  private readonly entries: {
    ms: number;
    seq: number;
    caseRef: string;
    type: string;
    fields: Record<string, unknown>;
  }[] = [];
  private readonly views = new Map<string, CaseView>();
  private readonly labels = new Map<string, string>();
  private seq = 0;

  constructor(private readonly timeZone = 'Europe/Amsterdam') {}

  add(caseRef: string, at: string | number, type: string, fields: Record<string, unknown> = {}): void {
    this.label(caseRef);
    this.entries.push({ ms: typeof at === 'number' ? at : Date.parse(at), seq: this.seq++, caseRef, type, fields });
    if (process.env.BEREIK_SCENARIO_TRACE)
      process.stderr.write(
        `[scenario] ${new Date(typeof at === 'number' ? at : Date.parse(at)).toISOString()} ${type} ${JSON.stringify(fields)}\n`,
      );
  }

  rejected(caseId: string, at: number, eventType: string, reason: string): void {
    const latest = [...this.views.values()].filter((v) => v.case === caseId).sort((a, b) => b.round - a.round)[0];
    this.add(latest?.caseRef ?? `${caseId}.1`, at, 'event_rejected', { event: eventType, reason });
  }

  /** Every persisted view of a round; closings, reopenings and unworked repeats are read from them. */
  observe(view: CaseView): void {
    if (process.env.BEREIK_SCENARIO_TRACE)
      process.stderr.write(
        `[scenario] persist ${view.caseRef} ${view.status} next=${JSON.stringify(view.nextAction)}\n`,
      );
    const before = this.views.get(view.caseRef);
    this.label(view.caseRef);
    if (!before && view.round > 1) {
      const reopenedAt = Math.min(...view.signals.map((s) => Date.parse(s.receivedAt)));
      this.add(view.caseRef, reopenedAt, 'reopened', { warm: view.flags.reopenedWarm });
    }
    for (const signal of view.signals) {
      const known = before?.signals.find((s) => s.ID === signal.ID);
      if (signal.repeat && !known?.repeat)
        this.add(view.caseRef, signal.receivedAt, 'not_picked_up', { reason: 'herhaalde melding', signal: signal.ID });
    }
    if (view.result && view.closedAt && !before?.result)
      this.add(view.caseRef, view.closedAt, 'closed', { result: view.result });
    if (view.status === 'dormant' && before?.status !== 'dormant' && view.nextAction?.type === 'dormant_end')
      this.add(view.caseRef, view.closedAt ?? view.nextAction.at, 'dormant', { until: view.nextAction.at });
    this.views.set(view.caseRef, view);
  }

  result(): { timeline: TimelineEntry[]; cases: Record<string, unknown>[] } {
    const timeline = [...this.entries]
      .sort((a, b) => a.ms - b.ms || a.seq - b.seq)
      .map((e) => ({ at: this.format(e.ms), case: this.label(e.caseRef), type: e.type, ...e.fields }));
    const cases = [...this.labels.entries()].map(([caseRef, label]) => {
      const view = this.views.get(caseRef);
      return {
        case: label,
        segment: view?.segment ?? null,
        signals: view?.signals.map((s) => s.ID) ?? [],
        result: view?.result ?? null,
        status: view?.status ?? null,
        round: view?.round ?? null,
        flags: view?.flags ?? null,
        attempts: view?.attempts.length ?? 0,
        breaches: view?.deadlines.breaches ?? [],
        handovers:
          view?.handovers.map((h) => ({ to: h.to, overdue: h.overdue ?? false, reminders: h.reminders ?? 0 })) ?? [],
      };
    });
    return { timeline, cases };
  }

  private label(caseRef: string): string {
    let label = this.labels.get(caseRef);
    if (!label) {
      label = `c${this.labels.size + 1}`;
      this.labels.set(caseRef, label);
    }
    return label;
  }

  /** Whole seconds: the milliseconds a timer or message takes to be processed are noise, not behaviour. */
  private format(ms: number): string {
    const seconds = Math.floor(ms / 1000) * 1000;
    return (
      DateTime.fromMillis(seconds, { zone: this.timeZone }).toISO({ suppressMilliseconds: true }) ??
      new Date(seconds).toISOString()
    );
  }
}
