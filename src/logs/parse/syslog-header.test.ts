import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineParser } from './parser.js';
import { syslogHeader } from './syslog.js';

const NOW = Date.UTC(2024, 9, 20, 12, 0, 0);
const full = createLineParser({ format: 'syslog' }, () => NOW);

test('the syslog header read alone gives the app, host and time of the full parse, or leaves the message to it', () => {
  const lines = [
    '<134>1 2024-10-11T22:14:15.003Z host app 42 - - hello 7',
    '<134>1 2024-10-11T22:14:15.003+02:00 host app 42 ID47 [exampleSDID@32473 iut="3" eventSource="App"] \uFEFFmsg',
    '<134>1 2024-10-11T22:14:15Z - app - - - no host',
    '<134>1 2024-10-11T22:14:15Z host - - - - no app',
    '<134>1 - host app - - - no time',
    '<134>1 yesterday host app - - - unreadable time',
    '<34>Oct 11 22:14:15 mymachine su: \'su root\' failed for lonvick on /dev/pts/8',
    'Oct  3 22:14:15 mymachine sshd[123]: Accepted password for bob from 10.0.0.1 port 22 ssh2',
    'Feb 30 22:14:15 mymachine cron[1]: a day that does not exist',
    'Xyz 11 22:14:15 mymachine app: not a month',
    'not syslog at all',
    '{"msg":"json"}',
    '<134>1 2024-10-11T22:14:15.003Z host app 42 - - multi\nline',
  ];
  let fast = 0;
  for (const line of lines) {
    const h = syslogHeader(line, NOW);
    if (!h) continue;
    fast++;
    const p = full(line);
    assert.equal(h.appName, p.fields['app_name'], line);
    assert.equal(h.hostname, p.fields['hostname'] ?? '', line);
    assert.equal(h.timestamp, p.timestamp, line);
  }
  assert.equal(fast, 7);
  assert.equal(syslogHeader('<134>1 2024-10-11T22:14:15Z host - - - - no app', NOW), undefined);
  assert.equal(syslogHeader('<134>1 - host app - - - no time', NOW), undefined);
  assert.equal(syslogHeader('not syslog at all', NOW), undefined);
});
