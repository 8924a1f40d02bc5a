import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../model/clock.js';
import { toAlert } from './types.js';
import type { Detector, DetectorEntry } from './types.js';
import { detectorsSchema } from './config.js';
import { buildDetectors, DetectorSet } from './registry.js';
import { NewPatternDetector, NEW_PATTERN_DEFAULTS } from './new-pattern.js';
import { RateSpikeDetector, RATE_SPIKE_DEFAULTS, median } from './rate-spike.js';
import { ErrorPhrasesDetector, ERROR_PHRASES_DEFAULTS } from './error-phrases.js';
import { BruteForceDetector, BRUTE_FORCE_DEFAULTS } from './brute-force.js';
import { NewLoginIpDetector, NEW_LOGIN_IP_DEFAULTS } from './new-login-ip.js';
import { PrivilegeEscalationDetector, PRIVILEGE_ESCALATION_DEFAULTS } from './privilege-escalation.js';

const MIN = 60_000;

function entry(clock: FakeClock, line: string, over: Partial<DetectorEntry> = {}): DetectorEntry {
  return { t: clock.now(), service: 'api', level: 'info', patternId: 'p1', template: line, line, message: line, fields: {}, ...over };
}

const firing = (d: Detector, now: number) => d.tick(now).filter((a) => a.endsAt > now);

describe('new pattern', () => {
  test('fires for a warn/error pattern first seen after the baseline, resolves after the window', async () => {
    const clock = new FakeClock(0);
    const d = new NewPatternDetector({ ...NEW_PATTERN_DEFAULTS, baselineMs: 10 * MIN, windowMs: 5 * MIN });
    d.observe(entry(clock, 'db slow', { level: 'error', patternId: 'old' }));
    await clock.advance(11 * MIN);
    d.observe(entry(clock, 'db slow again', { level: 'error', patternId: 'old' }));
    d.observe(entry(clock, 'user logged in', { level: 'info', patternId: 'info-new' }));
    assert.deepEqual(d.tick(clock.now()), [], 'baseline and info patterns do not fire');
    d.observe(entry(clock, 'disk /dev/sda1 failing', { level: 'error', patternId: 'new1', template: 'disk <*> failing' }));
    d.observe(entry(clock, 'disk /dev/sdb1 failing', { level: 'error', patternId: 'new1', template: 'disk <*> failing' }));
    const [a, ...rest] = d.tick(clock.now());
    assert.equal(rest.length, 0);
    assert.deepEqual(a!.labels, { alertname: 'LogNewPattern', service: 'api', severity: 'medium', detector: 'new_pattern', pattern: 'new1' });
    assert.equal(a!.annotations.count, '2');
    assert.equal(a!.annotations.window, '5m');
    assert.equal(a!.annotations.samples, 'disk /dev/sda1 failing\ndisk /dev/sdb1 failing');
    assert.match(a!.annotations.description!, /disk <\*> failing/);
    assert.ok(a!.endsAt > clock.now());
    await clock.advance(5 * MIN);
    const resolved = d.tick(clock.now());
    assert.equal(resolved.length, 1);
    assert.ok(resolved[0]!.endsAt <= clock.now(), 'reported once as resolved');
    assert.deepEqual(d.tick(clock.now()), []);
    d.observe(entry(clock, 'disk /dev/sdc1 failing', { level: 'error', patternId: 'new1' }));
    assert.deepEqual(d.tick(clock.now()), [], 'no longer new');
    const alert = toAlert(resolved[0]!, clock.now());
    assert.equal(alert.updatedAt, clock.now());
  });
});

describe('rate spike', () => {
  test('fires when a bucket jumps above median + k·MAD, not for normal noise, and resolves', async () => {
    const clock = new FakeClock(0);
    const d = new RateSpikeDetector({ ...RATE_SPIKE_DEFAULTS, resolveAfterMs: 2 * MIN });
    const noise = [4, 6, 5, 5, 7, 4, 5, 6, 5, 4, 6, 5];
    for (const n of noise) {
      for (let i = 0; i < n; i++) d.observe(entry(clock, `GET /x took ${i}ms`));
      await clock.advance(MIN);
      assert.deepEqual(firing(d, clock.now()), []);
    }
    for (let i = 0; i < 15; i++) d.observe(entry(clock, 'GET /x'));
    await clock.advance(MIN);
    assert.deepEqual(firing(d, clock.now()), [], '15 is above min_count but within median + k·scale');
    for (let i = 0; i < 60; i++) d.observe(entry(clock, `GET /x took ${i}ms`));
    await clock.advance(MIN);
    const [a] = firing(d, clock.now());
    assert.equal(a!.labels.alertname, 'LogPatternRateSpike');
    assert.equal(a!.annotations.count, '60');
    assert.match(a!.annotations.description!, /baseline median 5/);
    assert.equal(a!.annotations.samples!.split('\n').length, 3);
    await clock.advance(2 * MIN);
    assert.deepEqual(firing(d, clock.now()), []);
  });

  test('needs a minimum count and history', async () => {
    const clock = new FakeClock(0);
    const d = new RateSpikeDetector(RATE_SPIKE_DEFAULTS);
    for (let i = 0; i < 500; i++) d.observe(entry(clock, 'brand new'));
    await clock.advance(MIN);
    assert.deepEqual(d.tick(clock.now()), [], 'no history yet');
    assert.equal(median([1, 3, 2, 10]), 2.5);
  });
});

describe('error phrases', () => {
  test('fires on the default phrases case-insensitively and resolves after the window', async () => {
    const clock = new FakeClock(0);
    const d = new ErrorPhrasesDetector({ ...ERROR_PHRASES_DEFAULTS, minCount: 2 });
    d.observe(entry(clock, 'ERROR Database connection failed: ECONNREFUSED'));
    assert.deepEqual(d.tick(clock.now()), [], 'below min_count');
    d.observe(entry(clock, 'all good'));
    await clock.advance(MIN);
    d.observe(entry(clock, 'database connection failed again'));
    const [a] = d.tick(clock.now());
    assert.equal(a!.labels.phrase, 'database connection failed');
    assert.equal(a!.annotations.count, '2');
    await clock.advance(5 * MIN);
    assert.equal(d.tick(clock.now())[0]!.endsAt <= clock.now(), true);
    assert.deepEqual(d.tick(clock.now()), []);
  });
});

describe('brute force', () => {
  test('counts sshd, PAM and structured failures per IP and per user', async () => {
    const clock = new FakeClock(0);
    const d = new BruteForceDetector({ ...BRUTE_FORCE_DEFAULTS, perIp: 5, perUser: 3 });
    for (let i = 0; i < 4; i++) {
      d.observe(entry(clock, `sshd[99]: Failed password for invalid user u${i} from 203.0.113.9 port 5${i} ssh2`));
      await clock.advance(10_000);
    }
    // sshd's PAM line for the same attempt is not counted twice.
    d.observe(entry(clock, 'sshd[99]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9'));
    assert.deepEqual(firing(d, clock.now()), [], '4 < 5 per IP');
    d.observe(entry(clock, 'sshd[99]: Failed password for root from 203.0.113.9 port 60 ssh2'));
    let alerts = firing(d, clock.now());
    assert.equal(alerts.length, 1);
    assert.deepEqual(alerts[0]!.labels, { alertname: 'LogBruteForceSourceIP', service: 'api', severity: 'high', detector: 'brute_force', source_ip: '203.0.113.9' });
    assert.equal(alerts[0]!.annotations.count, '5');
    d.observe(entry(clock, 'login: pam_unix(login:auth): authentication failure; logname=x uid=0 euid=0 tty=tty1 ruser= rhost=  user=alice'));
    d.observe(entry(clock, 'login failed', { fields: { event: 'login_failed', user: 'alice', ip: '198.51.100.7' } }));
    d.observe(entry(clock, 'login failed', { fields: { event: 'login', outcome: 'failure', username: 'alice', client_ip: '198.51.100.8' } }));
    alerts = firing(d, clock.now());
    assert.ok(alerts.some((a) => a.labels.alertname === 'LogBruteForceUser' && a.labels.user === 'alice' && a.annotations.count === '3'));
    await clock.advance(5 * MIN);
    assert.deepEqual(firing(d, clock.now()), [], 'resolved once the window passed');
  });
});

describe('new login IP', () => {
  test('learns user/IP pairs, then fires for an unseen IP', async () => {
    const clock = new FakeClock(0);
    const d = new NewLoginIpDetector({ ...NEW_LOGIN_IP_DEFAULTS, learningMs: 60 * MIN, windowMs: 10 * MIN });
    d.observe(entry(clock, 'sshd[1]: Accepted publickey for bob from 10.0.0.5 port 2222 ssh2'));
    d.observe(entry(clock, 'sshd[1]: Accepted password for carol from 10.0.0.6 port 2222 ssh2'));
    await clock.advance(61 * MIN);
    d.observe(entry(clock, 'sshd[1]: Accepted publickey for bob from 10.0.0.5 port 2223 ssh2'));
    d.observe(entry(clock, 'ok', { fields: { event: 'login_success', user: 'carol', ip: '10.0.0.6' } }));
    assert.deepEqual(d.tick(clock.now()), []);
    d.observe(entry(clock, 'sshd[1]: Accepted publickey for bob from 192.0.2.44 port 2224 ssh2'));
    const [a] = d.tick(clock.now());
    assert.equal(a!.labels.user, 'bob');
    assert.equal(a!.labels.source_ip, '192.0.2.44');
    d.observe(entry(clock, 'sshd[1]: Accepted publickey for bob from 192.0.2.44 port 2225 ssh2'));
    await clock.advance(10 * MIN);
    assert.deepEqual(firing(d, clock.now()), []);
  });
});

describe('privilege escalation', () => {
  test('matches sudo, su and group changes; not ordinary sudo use', async () => {
    const clock = new FakeClock(0);
    const d = new PrivilegeEscalationDetector(PRIVILEGE_ESCALATION_DEFAULTS);
    d.observe(entry(clock, 'sudo:     bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/apt update'));
    assert.deepEqual(d.tick(clock.now()), []);
    const lines: Array<[string, string]> = [
      ['sudo:     eve : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash', 'sudo_auth_failure'],
      ['sudo: pam_unix(sudo:auth): authentication failure; logname=eve uid=1001 euid=0 tty=/dev/pts/1 ruser=eve rhost=  user=eve', 'sudo_auth_failure'],
      ['sudo:      eve : user NOT in sudoers ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh', 'sudo_not_in_sudoers'],
      ['su[812]: pam_unix(su:auth): authentication failure; logname=eve uid=1001 euid=0 tty=pts/1 ruser=eve rhost=  user=root', 'su_auth_failure'],
      ["usermod[900]: add 'eve' to group 'sudo'", 'added_to_admin_group'],
      ['gpasswd[901]: user eve added by root to group wheel', 'added_to_admin_group'],
    ];
    for (const [l] of lines) d.observe(entry(clock, l));
    const rules = new Set(d.tick(clock.now()).map((a) => a.labels.rule));
    assert.deepEqual([...rules].sort(), [...new Set(lines.map((l) => l[1]))].sort());
    await clock.advance(15 * MIN);
    assert.deepEqual(firing(d, clock.now()), []);
    assert.throws(() => new PrivilegeEscalationDetector({ ...PRIVILEGE_ESCALATION_DEFAULTS, rules: [{ name: 'bad', regex: '(' }] }), /rule "bad": invalid regex/);
  });
});

describe('prefiltered rules', () => {
  test('a custom privilege rule without literals still runs; one with literals still fires', () => {
    const clock = new FakeClock(0);
    const d = new PrivilegeEscalationDetector({ ...PRIVILEGE_ESCALATION_DEFAULTS, rules: [...PRIVILEGE_ESCALATION_DEFAULTS.rules, { name: 'uid0', regex: String.raw`\buid=0\b` }, { name: 'doas', regex: 'doas: .* failed' }] });
    d.observe(entry(clock, 'session opened uid=0 by x'));
    d.observe(entry(clock, 'DOAS: eve FAILED'));
    assert.deepEqual(d.tick(clock.now()).map((a) => a.labels.rule).sort(), ['doas', 'uid0']);
  });

  test('error phrases match in any case; brute force and new-login share the parsed login event', async () => {
    const clock = new FakeClock(0);
    const p = new ErrorPhrasesDetector({ ...ERROR_PHRASES_DEFAULTS, phrases: ['Out Of Memory'] });
    p.observe(entry(clock, 'worker died: OUT OF MEMORY'));
    p.observe(entry(clock, 'all good'));
    assert.equal(p.tick(clock.now())[0]?.annotations.count, '1');
    const b = new BruteForceDetector({ ...BRUTE_FORCE_DEFAULTS, perIp: 2, perUser: 2 });
    const n = new NewLoginIpDetector({ ...NEW_LOGIN_IP_DEFAULTS, learningMs: 0 });
    const set = new DetectorSet([b, n]);
    for (let i = 0; i < 2; i++) set.observe(entry(clock, `sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2 try ${i}`));
    set.observe(entry(clock, 'sshd[1]: Accepted publickey for bob from 10.0.0.7 port 22 ssh2'));
    set.observe(entry(clock, 'sshd[1]: Accepted publickey for bob from 10.0.0.8 port 22 ssh2'));
    assert.deepEqual(b.tick(clock.now()).map((a) => a.labels.alertname).sort(), ['LogBruteForceSourceIP', 'LogBruteForceUser']);
    assert.deepEqual(n.tick(clock.now()).map((a) => a.labels.source_ip), ['10.0.0.7', '10.0.0.8'], 'no learning period: every new IP fires');
  });
});

describe('registry and config', () => {
  test('defaults enable every detector; settings override; errors have paths', () => {
    const cfg = detectorsSchema.parse(undefined);
    assert.equal(buildDetectors(cfg).length, 6);
    assert.deepEqual(cfg.error_phrases.phrases.slice(0, 3), ['database connection failed', 'timeout exceeded', 'out of memory']);
    const custom = detectorsSchema.parse({ rate_spike: { enabled: false }, brute_force: { per_ip: 3, window: '1m' } });
    assert.equal(custom.brute_force.per_ip, 3);
    assert.equal(custom.brute_force.window, 60_000);
    assert.equal(custom.brute_force.per_user, 10);
    assert.deepEqual(buildDetectors(custom).map((d) => d.name), ['new_pattern', 'error_phrases', 'brute_force', 'new_login_ip', 'privilege_escalation']);
    const r = detectorsSchema.safeParse({ brute_force: { per_ip: 0 }, bogus: {} });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    assert.ok(paths.includes('brute_force.per_ip'), paths.join(','));
  });

  test('DetectorSet fans out to every detector', () => {
    const set = new DetectorSet(buildDetectors(detectorsSchema.parse({})));
    const e: DetectorEntry = { t: 5, service: 'db', level: 'fatal', patternId: 'px', template: 'FATAL: out of memory', line: 'FATAL: out of memory', message: 'FATAL: out of memory', fields: { level: 'fatal' } };
    set.observe(e);
    const alerts = set.tick(10);
    assert.ok(alerts.some((a) => a.labels.detector === 'error_phrases' && a.labels.service === 'db'));
  });
});

describe('baselines survive a restart (snapshot → JSON → restore)', () => {
  const reload = <D extends Detector>(from: D, to: D): D => {
    to.restore!(JSON.parse(JSON.stringify(from.snapshot!())));
    return to;
  };

  test('new pattern: the learning period and seen patterns carry over', async () => {
    const clock = new FakeClock(0);
    const s = { ...NEW_PATTERN_DEFAULTS, baselineMs: 10 * MIN, windowMs: 5 * MIN };
    const a = new NewPatternDetector(s);
    a.observe(entry(clock, 'db slow', { level: 'error', patternId: 'old' }));
    await clock.advance(11 * MIN);
    const b = reload(a, new NewPatternDetector(s));
    b.observe(entry(clock, 'db slow', { level: 'error', patternId: 'old' }));
    assert.deepEqual(b.tick(clock.now()), [], 'seen before the restart: not new');
    b.observe(entry(clock, 'disk failing', { level: 'error', patternId: 'new1' }));
    assert.equal(b.tick(clock.now())[0]?.labels.pattern, 'new1', 'the baseline period ended before the restart: no new learning period');
  });

  test('new login IP: known IPs and the learning period carry over', async () => {
    const clock = new FakeClock(0);
    const s = { ...NEW_LOGIN_IP_DEFAULTS, learningMs: 60 * MIN, windowMs: 10 * MIN };
    const a = new NewLoginIpDetector(s);
    a.observe(entry(clock, 'sshd[1]: Accepted publickey for bob from 10.0.0.5 port 2222 ssh2'));
    await clock.advance(61 * MIN);
    const b = reload(a, new NewLoginIpDetector(s));
    b.observe(entry(clock, 'sshd[1]: Accepted publickey for bob from 10.0.0.5 port 2223 ssh2'));
    assert.deepEqual(b.tick(clock.now()), []);
    b.observe(entry(clock, 'sshd[1]: Accepted publickey for bob from 192.0.2.44 port 2224 ssh2'));
    assert.equal(b.tick(clock.now())[0]?.labels.source_ip, '192.0.2.44');
  });

  test('rate spike: the per-bucket history carries over, so a spike right after a restart is judged', async () => {
    const clock = new FakeClock(0);
    const s = { ...RATE_SPIKE_DEFAULTS, resolveAfterMs: 2 * MIN };
    const a = new RateSpikeDetector(s);
    for (const n of [4, 6, 5, 5, 7, 4, 5, 6, 5, 4, 6, 5]) {
      for (let i = 0; i < n; i++) a.observe(entry(clock, `GET /x took ${i}ms`));
      await clock.advance(MIN);
      a.tick(clock.now());
    }
    const b = reload(a, new RateSpikeDetector(s));
    const fresh = new RateSpikeDetector(s);
    for (let i = 0; i < 60; i++) {
      b.observe(entry(clock, `GET /x took ${i}ms`));
      fresh.observe(entry(clock, `GET /x took ${i}ms`));
    }
    await clock.advance(MIN);
    assert.equal(firing(b, clock.now())[0]?.annotations.count, '60');
    assert.deepEqual(firing(fresh, clock.now()), [], 'without the history there is no verdict');
  });

  test('unreadable state is refused with the detector named, and a DetectorSet skips just that one', () => {
    const reported: string[] = [];
    const np = new NewPatternDetector();
    const set = new DetectorSet([np, new NewLoginIpDetector(), new RateSpikeDetector()], (e, name) => reported.push(`${name}: ${(e as Error).message}`));
    assert.throws(() => np.restore({ v: 2 }), /new_pattern: saved state is not version 1/);
    assert.throws(() => np.restore({ v: 1, startedAt: 'x', seen: [] }), /new_pattern: saved state is malformed/);
    set.restore({ new_pattern: { v: 1, startedAt: 5, seen: ['api\u0000p1'] }, new_login_ip: { v: 1, startedAt: 1, known: [['k', [1]]] }, rate_spike: null });
    assert.deepEqual(reported, ['new_login_ip: new_login_ip: saved state is malformed', 'rate_spike: rate_spike: saved state is not version 1']);
    assert.deepEqual(Object.keys(set.snapshot()).sort(), ['new_login_ip', 'new_pattern', 'rate_spike']);
    assert.deepEqual((set.snapshot().new_pattern as { seen: string[] }).seen, ['api\u0000p1']);
  });
});
