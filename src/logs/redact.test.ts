import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { luhnValid, Redactor, RedactionRuleError, REDACTED } from './redact.js';

const r = new Redactor();

describe('built-in redaction', () => {
  test('passwords in text, query strings and JSON', () => {
    assert.equal(r.redact('login user=bob password=hunter2 ok'), `login user=bob password=${REDACTED} ok`);
    assert.equal(r.redact('GET /cb?user=a&passwd=s3cr3t&x=1'), `GET /cb?user=a&passwd=${REDACTED}&x=1`);
    assert.equal(r.redact('db_password: "p@ss word"'), `db_password: "${REDACTED}"`);
    assert.equal(r.redact('{"user":"bob","password":"hu\\"nter2","n":1}'), `{"user":"bob","password":"${REDACTED}","n":1}`);
    assert.equal(r.redact('{"client_secret" : "abc"}'), `{"client_secret" : "${REDACTED}"}`);
    assert.equal(r.redact('api_key=XYZ123 token_count=5'), `api_key=${REDACTED} token_count=5`);
  });

  test('bearer and basic tokens', () => {
    assert.equal(r.redact('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x'), `Authorization: Bearer ${REDACTED}`);
    assert.equal(r.redact('auth header "Basic dXNlcjpwYXNz=="'), `auth header "Basic ${REDACTED}"`);
  });

  test('API key shapes', () => {
    const keys = [
      'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'sk_test_51HbYzLKJhgfdsa1234',
      'AKIAIOSFODNN7EXAMPLE',
      'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
      'xoxb-123456789012-abcdefABCDEF',
      'xoxp-1111-2222-3333-abcd',
    ];
    for (const k of keys) {
      const out = r.redact(`using key ${k} now`);
      assert.equal(out, `using key ${REDACTED} now`, k);
    }
  });

  test('private key blocks, multi-line, escaped and truncated', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc==\n-----END RSA PRIVATE KEY-----';
    assert.equal(r.redact(`key: ${pem} done`), 'key: [REDACTED PRIVATE KEY] done');
    const esc = '{"k":"-----BEGIN PRIVATE KEY-----\\nMIIEv\\n-----END PRIVATE KEY-----"}';
    assert.equal(r.redact(esc), '{"k":"[REDACTED PRIVATE KEY]"}');
    assert.equal(r.redact('oops -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz'), 'oops [REDACTED PRIVATE KEY]');
  });

  test('card numbers pass Luhn and a card prefix, with spaces or dashes', () => {
    assert.equal(r.redact('card 4111 1111 1111 1111 charged'), 'card [REDACTED CARD] charged');
    assert.equal(r.redact('card 5500-0000-0000-0004.'), 'card [REDACTED CARD].');
    assert.equal(r.redact('amex 378282246310005'), 'amex [REDACTED CARD]');
    assert.equal(r.redact('card 4111111111111112'), 'card 4111111111111112', 'fails Luhn');
    assert.equal(r.redact('ts=1729425600000 id=1729425600123456789'), 'ts=1729425600000 id=1729425600123456789', 'epoch stamps are not cards');
    assert.equal(r.redact('order 123456789012'), 'order 123456789012', 'too short');
    assert.ok(luhnValid('79927398713'));
    assert.ok(!luhnValid('79927398710'));
  });

  test('idempotent and leaves ordinary text alone', () => {
    const line = 'user=bob password=x Authorization: Bearer abc card 4111111111111111';
    const once = r.redact(line);
    assert.equal(r.redact(once), once);
    const plain = 'GET /api/v1/users/42 200 12ms request_id=ab12';
    assert.equal(r.redact(plain), plain);
  });

  test('fields: secret-named fields blanked, others redacted as text', () => {
    assert.deepEqual(r.redactFields({ password: 'x', authorization: 'Bearer abc', msg: 'key AKIAIOSFODNN7EXAMPLE', user: 'bob' }), {
      password: REDACTED,
      authorization: REDACTED,
      msg: `key ${REDACTED}`,
      user: 'bob',
    });
  });
});

describe('configured rules', () => {
  test('regex with groups and replacement', () => {
    const c = new Redactor({ rules: [{ name: 'email', regex: '([a-z.]+)@([a-z.]+)', replacement: '***@$2' }, { name: 'ssn', regex: '\\b\\d{3}-\\d{2}-\\d{4}\\b' }] });
    assert.equal(c.redact('mail bob.smith@example.com ssn 123-45-6789'), `mail ***@example.com ssn ${REDACTED}`);
  });

  test('builtins can be switched off', () => {
    const c = new Redactor({ builtins: false, rules: [{ name: 'x', regex: 'foo' }] });
    assert.equal(c.redact('password=1 foo'), `password=1 ${REDACTED}`);
  });

  test('an invalid rule fails at construction naming it', () => {
    assert.throws(() => new Redactor({ rules: [{ name: 'broken', regex: '(a' }] }), (e: unknown) => e instanceof RedactionRuleError && /"broken"/.test((e as Error).message));
  });
});

describe('prefilters keep every built-in rule firing', () => {
  test('each secret key name, as key=value and as JSON', () => {
    const names = ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'client_secret', 'api_key', 'api-key', 'apikey', 'access_token', 'accessToken', 'refresh-token', 'auth_token', 'private_key', 'x-api-key', 'DB_PASSWORD', 'SecretValue'];
    for (const n of names) {
      assert.equal(r.redact(`x ${n}=abc y`), `x ${n}=${REDACTED} y`, n);
      assert.equal(r.redact(`{"${n}":"abc"}`), `{"${n}":"${REDACTED}"}`, n);
    }
  });

  test('cards with separators are found; long digit runs split by other characters are not cards', () => {
    assert.equal(r.redact('x 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 y'), 'x [REDACTED CARD] y');
    assert.equal(r.redact('x 4111-1111-1111-1111 y'), 'x [REDACTED CARD] y');
    assert.equal(r.redact('ts 2026-12-01T04:27:23.123Z'), 'ts 2026-12-01T04:27:23.123Z');
  });

  test('API keys and tokens in every shape', () => {
    for (const k of ['rk_live_abcdefghijk', 'sk-proj-abcdefghijklmnopqrstuv', 'ASIAIOSFODNN7EXAMPLE', 'github_pat_abcdefghijklmnopqrstuvwx', 'glpat-abcdefghijklmnopqrst', `AIza${'a'.repeat(35)}`]) {
      assert.equal(r.redact(`k ${k} z`), `k ${REDACTED} z`, k);
    }
    assert.equal(r.redact('Authorization: Token abc.def'), `Authorization: Token ${REDACTED}`);
  });

  test('configured rules with and without a literal prefilter', () => {
    const c = new Redactor({ builtins: false, rules: [{ name: 'tenant', regex: 'tenant-secret-\\d+' }, { name: 'digits', regex: '\\d{4}' }] });
    assert.equal(c.redact('id tenant-secret-42 pin 1234'), `id ${REDACTED} pin ${REDACTED}`);
    assert.equal(c.redact('nothing here'), 'nothing here');
  });
});
