import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collapseDates, collapseUnits } from './collapse.js';
import { maskToken, splitTokens, tokenizeMasked } from './masking.js';

// Golden cases: what the default masking turns a token into (conventions of the corrected
// Loghub ground truth), and what it must leave alone.
const cases: [string, string][] = [
  ['8080', '<*>'],
  ['-42', '<*>'],
  ['3.14', '<*>'],
  ['port.', 'port.'],
  ['8080.', '<*>.'],
  ['10.251.42.84', '<*>'],
  ['10.251.42.84:50010', '<*>'],
  ['/10.251.42.84:50010', '<*>'],
  ['0x1f3a', '<*>'],
  ['deadbeef00', '<*>'],
  ['0b8e3f4c-1d2a-4c5b-9e6f-7a8b9c0d1e2f', '<*>'],
  ['blk_-6952295868487656571', '<*>'],
  ['attempt_1445144423722_0020_m_000000_0', '<*>'],
  ['uid=0', 'uid=<*>'],
  ['(uid=0)', '(uid=<*>)'],
  ['[173.234.31.186]', '[<*>]'],
  ['sessionid:0x14f05578bf8001f', 'sessionid:<*>'],
  ['CPU#0', 'CPU#<*>'],
  ['jetty-6.1.26', 'jetty-<*>'],
  ['msra-sa-41:9000', '<*>'],
  ['/var/log/app.log', '<*>'],
  ['/user/root/part-00590.', '<*>'],
  ["'/udev/vcs1'", "'<*>'"],
  ['hdfs://msra-sa-41:9000/pageinput2.txt', '<*>'],
  ['[hdfs://msra-sa-41:9000]', '[<*>]'],
  ['http://wiki.apache.org/hadoop/NoRouteToHost', 'http://wiki.apache.org/hadoop/NoRouteToHost'],
  ['proxy.cse.cuhk.edu.hk:5070', '<*>'],
  ['sessionid:0x1f', 'sessionid:<*>'],
  ['C:\\Windows\\System32\\foo.dll,', '<*>,'],
  ['(C:\\Windows\\servicing)', '(<*>)'],
  ['\\\\server\\share\\x', '<*>'],
  ['true', '<*>'],
  ['00:1a:2B:3c:4d:5e', '<*>'],
  ['(fe80::1ff:fe23:4567:890a),', '(<*>),'],
  ['ab:cd:ef', 'ab:cd:ef'],
  ['enabled=false,', 'enabled=<*>,'],
  ['vCores:1>', 'vCores:<*>>'],
  // Words with a digit are not obviously variable: the miner decides from the data.
  ['ssh2', 'ssh2'],
  ['log4j', 'log4j'],
  ['tty2', 'tty2'],
  ['hadoop-metrics2.properties', 'hadoop-metrics2.properties'],
  ['Served', 'Served'],
  ['<*>', '<*>'],
];

test('maskToken golden cases', () => {
  for (const [input, want] of cases) assert.equal(maskToken(input), want, `maskToken(${JSON.stringify(input)})`);
});

test('splitTokens splits on runs of any whitespace', () => {
  assert.deepEqual(splitTokens('  a\tb  c\r\n'), ['a', 'b', 'c']);
  assert.deepEqual(splitTokens(''), []);
});

test('a written-out date becomes one variable', () => {
  const toks = (s: string) => collapseDates(splitTokens(s).map(maskToken));
  assert.deepEqual(toks('at Sun Jul 24 02:40:50 2005'), ['at', '<*>']);
  assert.deepEqual(toks('on Jul 24 02:40:50 done'), ['on', '<*>', 'done']);
  assert.deepEqual(toks('May I help'), ['May', 'I', 'help']);
  assert.deepEqual(toks('Jun 5 apples'), ['Jun', '<*>', 'apples']);
});

test('a size with its unit becomes one variable', () => {
  const toks = (s: string) => collapseUnits(splitTokens(s).map(maskToken));
  assert.deepEqual(toks('(estimated size 16.0 KB, free 2.2 GB)'), ['(estimated', 'size', '<*>,', 'free', '<*>)']);
  assert.deepEqual(toks('sent 12 bytes'), ['sent', '<*>', 'bytes']);
  assert.deepEqual(toks('1190 bytes (1.16 KB) sent'), ['<*>', 'bytes', '(<*>)', 'sent']);
});

test('the fused tokenizer equals splitting then masking each token', () => {
  const lines = [
    'PacketResponder 1 for block blk_38865049064139660 terminating',
    'Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6',
    '  mapped 4G/4G trampoline to ffffd000.  ',
    'isScreenOn true\tflag=False path=/var/log/x.log C:\\Windows\\x.dll',
    'Saved output to hdfs://msra-sa-41:9000/out 12.5 3. .5 1.2.3.4 -7 v2 ssh2',
    '',
  ];
  // Deterministic pseudo-random tokens over a character set that exercises every branch.
  const alphabet = 'ab0129./:=-_ ()[]tTrRuUeEsSfFlL\\x@#,';
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let k = 0; k < 300; k++) {
    let s = '';
    const len = Math.floor(rand() * 40);
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
    lines.push(s);
  }
  for (const line of lines) {
    assert.deepEqual(tokenizeMasked(line, maskToken), splitTokens(line).map(maskToken), JSON.stringify(line));
  }
});
