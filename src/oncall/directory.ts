import { notFound } from '../model/errors.js';
import { CHANNELS, plainIn, type Channel, type EscalationPolicyConfig, type OncallSections, type PersonConfig, type ScheduleConfig, type TeamConfig } from './config.js';
import { resolve } from './local-time.js';
import { finalShifts, shiftAt, whoIsOnCall, type Override, type Schedule, type Shift } from './schedule.js';

export interface NotificationRule {
  /** ms after the person is paged. */
  readonly after: number;
  readonly via: readonly Channel[];
}

export interface Person {
  readonly name: string;
  readonly fullName: string;
  readonly timeZone: string;
  readonly contacts: Readonly<Partial<Record<string, string>>>;
  readonly rules: readonly NotificationRule[];
}

export type Target = { readonly kind: 'schedule' | 'person' | 'team'; readonly name: string };

export interface EscalationLevel {
  readonly targets: readonly Target[];
  readonly escalateAfter: number;
}

export interface EscalationPolicy {
  readonly name: string;
  readonly repeat: number;
  readonly ackTimeout?: number;
  readonly levels: readonly EscalationLevel[];
}

/** Runtime overrides, persisted elsewhere; the directory only reads them. */
export interface OverrideSource {
  list(schedule: string): readonly Override[];
}

export function compileSchedule(s: ScheduleConfig): Schedule {
  const zone = s.time_zone;
  return {
    name: s.name,
    timeZone: zone,
    layers: s.layers.map((l) => ({
      name: l.name,
      turn: l.rotation,
      start: plainIn(l.start, zone),
      ...(l.end !== undefined ? { end: plainIn(l.end, zone) } : {}),
      members: l.members,
      restrictions: l.restrictions,
    })),
    overrides: s.overrides.map((o) => ({ person: o.person, start: resolve(plainIn(o.start, zone), zone), end: resolve(plainIn(o.end, zone), zone) })),
  };
}

/** Without notification_rules a person is reached on every channel their contacts allow, at once. */
function defaultRules(p: PersonConfig): NotificationRule[] {
  const via = (Object.keys(CHANNELS) as Channel[]).filter((ch) => ch !== 'voice' && p.contacts[CHANNELS[ch]] !== undefined);
  return via.length ? [{ after: 0, via }] : [];
}

function compilePolicy(p: EscalationPolicyConfig): EscalationPolicy {
  return {
    name: p.name,
    repeat: p.repeat,
    ...(p.ack_timeout !== undefined ? { ackTimeout: p.ack_timeout } : {}),
    levels: p.levels.map((l) => ({
      escalateAfter: l.escalate_after,
      targets: l.targets.map((t): Target => (t.schedule !== undefined ? { kind: 'schedule', name: t.schedule } : t.person !== undefined ? { kind: 'person', name: t.person } : { kind: 'team', name: t.team ?? '' })),
    })),
  };
}

/**
 * People, teams, schedules and escalation policies from validated config (see checkOncall),
 * with the questions the rest of Vigil asks of them.
 */
export class OncallDirectory {
  private readonly people = new Map<string, Person>();
  private readonly teams = new Map<string, TeamConfig>();
  private readonly schedules = new Map<string, Schedule>();
  private readonly policies = new Map<string, EscalationPolicy>();

  constructor(
    c: OncallSections,
    private readonly overrides: OverrideSource = { list: () => [] },
  ) {
    for (const p of c.people ?? []) {
      this.people.set(p.name, {
        name: p.name,
        fullName: p.full_name ?? p.name,
        timeZone: p.time_zone,
        contacts: p.contacts,
        rules: p.notification_rules ? p.notification_rules.map((r) => ({ after: r.after, via: r.via })) : defaultRules(p),
      });
    }
    for (const t of c.teams ?? []) this.teams.set(t.name, t);
    for (const s of c.schedules ?? []) this.schedules.set(s.name, compileSchedule(s));
    for (const p of c.escalation_policies ?? []) this.policies.set(p.name, compilePolicy(p));
  }

  person(name: string): Person | undefined {
    return this.people.get(name);
  }

  personNames(): string[] {
    return [...this.people.keys()];
  }

  schedule(name: string): Schedule | undefined {
    return this.schedules.get(name);
  }

  mustSchedule(name: string): Schedule {
    const s = this.schedules.get(name);
    if (!s) throw notFound(`schedule ${JSON.stringify(name)}`);
    return s;
  }

  scheduleNames(): string[] {
    return [...this.schedules.keys()];
  }

  policy(name: string): EscalationPolicy | undefined {
    return this.policies.get(name);
  }

  /** Final shifts of a schedule in [from, to), runtime overrides included. */
  shifts(schedule: string, from: number, to: number): Shift[] {
    const s = this.mustSchedule(schedule);
    return finalShifts(s, from, to, this.overrides.list(schedule));
  }

  onCall(schedule: string, t: number): string | undefined {
    return whoIsOnCall(this.mustSchedule(schedule), t, this.overrides.list(schedule));
  }

  currentShift(schedule: string, t: number): Shift | undefined {
    return shiftAt(this.mustSchedule(schedule), t, this.overrides.list(schedule));
  }

  /** The people a target stands for at instant t, in order, without repeats. */
  resolveTargets(targets: readonly Target[], t: number): string[] {
    const out: string[] = [];
    for (const target of targets) {
      let names: readonly string[] = [];
      if (target.kind === 'person') names = [target.name];
      else if (target.kind === 'team') names = this.teams.get(target.name)?.members ?? [];
      else if (this.schedules.has(target.name)) {
        const who = this.onCall(target.name, t);
        names = who ? [who] : [];
      }
      for (const n of names) if (!out.includes(n)) out.push(n);
    }
    return out;
  }

  /** Every schedule shift of one person in [from, to), across schedules. */
  personShifts(person: string, from: number, to: number): Array<Shift & { schedule: string; timeZone: string }> {
    const out: Array<Shift & { schedule: string; timeZone: string }> = [];
    for (const s of this.schedules.values()) {
      for (const sh of this.shifts(s.name, from, to)) if (sh.person === person) out.push({ ...sh, schedule: s.name, timeZone: s.timeZone });
    }
    return out.sort((a, b) => a.start - b.start);
  }
}
