import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RE2JS } from 're2js';
import { literalPrefilter, literalTest, requiredLiterals } from './literal-prefilter.js';
import { DEFAULT_PRIVILEGE_RULES } from './detect/privilege-escalation.js';

describe('requiredLiterals', () => {
  test('literal runs, required groups and alternations', () => {
    assert.deepEqual(requiredLiterals('user NOT in sudoers|is not in the sudoers file'), ['user NOT in sudoers', 'is not in the sudoers file']);
    assert.deepEqual(requiredLiterals('foo(bar)?baz'), ['foo'], 'an optional group breaks the run');
    assert.deepEqual(requiredLiterals('a{0,3}bcd'), ['bcd'], 'a zero-minimum repeat is optional');
    assert.deepEqual(requiredLiterals('x:.*(?:alpha one|beta two)'), ['alpha one', 'beta two'], 'a required group beats a short run');
    assert.deepEqual(requiredLiterals('(?P<n>token)=\\S+'), ['token']);
    assert.deepEqual(requiredLiterals('pam_unix\\(su'), ['pam_unix(su'], 'escaped punctuation is literal');
  });

  test('no prefilter when any alternative lacks a usable literal, or the syntax is not understood', () => {
    for (const src of ['abc|de', 'ab+cd', '([a-z.]+)@([a-z.]+)', '\\b\\d{3}-\\d{2}-\\d{4}\\b', '(?i)password', 'x\\x41bc', '[[:alpha:]]xyz', 'hello)', '\\Qa.b\\E', '(abc', 'abc|']) {
      assert.equal(requiredLiterals(src), undefined, src);
    }
  });

  test('never rejects a line the regex matches (default privilege rules, case-insensitive)', () => {
    const lines = [
      'Jun 14 15:16:01 combo sudo[123]: pam_unix(sudo:auth): authentication failure; logname= uid=0',
      'sudo: bob : user NOT in sudoers ; TTY=pts/0',
      'Jun 14 su(pam_unix)[2]: PAM_UNIX(SU:AUTH): Authentication Failure',
      'su: FAILED SU (to root) bob on pts/0',
      "gpasswd: user 'bob' added by root to group 'sudo'",
      "usermod[7]: add 'bob' to group 'wheel'",
      'sudo: 3 INCORRECT PASSWORD ATTEMPTS',
      'ordinary line with nothing',
      'ſudo[1]: authentication failure', // RE2 folds ſ to s
      'su: FAİLED ſU (to root) bob on pts/0', // and İ is no i: whatever RE2 decides, the prefilter must not reject a match
    ];
    for (const r of DEFAULT_PRIVILEGE_RULES) {
      const re = RE2JS.compile(r.regex, RE2JS.CASE_INSENSITIVE);
      const maybe = literalPrefilter(r.regex, true);
      assert.ok(maybe, `${r.name} has a prefilter`);
      for (const l of lines) if (re.test(l)) assert.ok(maybe(l), `${r.name} prefilter rejected matching line ${l}`);
      assert.equal(maybe('ordinary line with nothing'), false);
    }
  });

  test('literalTest escapes regex syntax and folds case (Unicode simple folding, as RE2) only when asked', () => {
    const t = literalTest(['a.b', 'panic:'])!;
    assert.equal(t('axb'), false);
    assert.equal(t('x a.b y'), true);
    assert.equal(t('PANIC: x'), false);
    assert.equal(literalTest(['panic:'], true)!('PANIC: x'), true);
    assert.equal(literalTest(['kill'], true)!('\u212Aill'), true, 'the Kelvin sign folds to k, as in RE2');
    assert.equal(literalTest(['kill'], true)!('naïve ſkill'), true, 'ſ folds to s');
    assert.equal(literalTest(['kill'], true)!('naïve café'), false, 'non-ASCII text without the literal is rejected');
    assert.equal(literalTest(['x-api-key', 'a/b'], true)!('X-API-KEY: 1'), true, 'literals with - and / are valid under the u flag');
    // What lower-casing then comparing finds (the error-phrase detector's own test) passes too.
    const phrases = ['disk full', 'out of memory', 'deadlock detected'];
    for (const text of ['DISK FULL on /dev/sda', 'Out Of Memory', 'DEADLOC\u212A DETECTED', 'all fine', 'naïve dısk full']) {
      const lowered = phrases.some((p) => text.toLowerCase().includes(p));
      if (lowered) assert.equal(literalTest(phrases, true)!(text), true, text);
    }
    assert.equal(literalTest([]), undefined);
  });
});
