import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Miner } from './miner.js';
import { generalizeToken, tokenCovers } from './template-merge.js';
import { WILDCARD, maskTokenWith } from './masking.js';
import { ruleSet } from './rules.js';

/** The final template of each line. */
function mine(lines: readonly string[], miner = new Miner()): string[] {
  const ids = lines.map((l) => miner.add(l, 0).patternId);
  return ids.map((id) => miner.templateOf(id) ?? '');
}

describe('rules', () => {
  test('a quoted string of a few words is one token, so the line length does not vary', () => {
    const lines = ['acquire tag="View Lock" uid=10', 'acquire tag="sync" uid=11', 'acquire tag="alarm wake up" uid=12'];
    assert.deepEqual(new Set(mine(lines)), new Set(['acquire tag="<*>" uid=<*>']));
    // Off: three lengths, three patterns.
    assert.equal(new Set(mine(lines, new Miner({ rules: { quoted: false } }))).size, 3);
    // A quote that does not close within a few words is left alone.
    assert.deepEqual(new Miner().tokenize('say "a b c d e f" now'), ['say', '"a', 'b', 'c', 'd', 'e', 'f"', 'now']);
    assert.deepEqual(new Miner().tokenize('GET "GET /v2/12/servers HTTP/1.1" 200'), ['GET', '"GET <*>"', '<*>']);
  });

  test('words that differ only in their digits are one variable, not two messages', () => {
    const lines = ['link up on eth0 now', 'link up on eth1 now', 'link up on eth0 now'];
    assert.deepEqual(new Set(mine(lines)), new Set(['link up on <*> now']));
    const off = mine(lines, new Miner({ rules: { numberedNames: false } }));
    assert.equal(new Set(off).size, 2, 'without the rule eth0/eth1 split the pattern');
    // A short line: one numbered name in three tokens still joins.
    assert.deepEqual(new Set(mine(['connected to vm01', 'connected to vm02'])), new Set(['connected to <*>']));
  });

  test('a numbered host with its port (or Java\'s host/address:port) is one value, without the versions rule', () => {
    const noVersions = ruleSet({ versions: false });
    for (const t of ['node7:2181', 'db-01:5432', 'web-3a/10.0.0.5:8080', 'msra-sa-41:8030']) assert.equal(maskTokenWith(t, noVersions), WILDCARD, t);
    assert.equal(maskTokenWith('node7:2181.', noVersions), `${WILDCARD}.`);
    // A key and its number, or a name and a path, are not a host and its port.
    assert.equal(maskTokenWith('vCores:8', noVersions), 'vCores:<*>');
    assert.equal(maskTokenWith('sda1/3', noVersions), 'sda1/<*>');
    assert.equal(maskTokenWith('node7:2181', ruleSet({ hostPorts: false, versions: false })), 'node7:<*>');
  });

  test('key=value tokens with the same key agree, so short lines with a value that is a word still join', () => {
    assert.deepEqual(new Set(mine(['login user=alice', 'login user=bob'])), new Set(['login user=<*>']));
    assert.equal(new Set(mine(['login user=alice', 'login user=bob'], new Miner({ rules: { keyValues: false } }))).size, 2);
    // Not keys: what follows a `:` is as often a constant.
    assert.equal(new Set(mine(['action:SCREEN_ON', 'action:TIME_TICK'])).size, 2);
  });

  test('a line whose variable takes more tokens joins the pattern of the same message', () => {
    const m = new Miner();
    const a = m.add('x.example.org:443 close, 10 bytes sent, 20 bytes received, lifetime 00:42', 0);
    const b = m.add('y.example.org:443 close, 0 bytes sent, 0 bytes received, lifetime <1 sec', 0);
    assert.equal(b.patternId, a.patternId);
    assert.equal(b.isNew, false);
    assert.equal(m.templateOf(a.patternId), '<*> close, <*> bytes sent, <*> bytes received, lifetime <*>');
    // Later lines of the longer form join through their own cluster.
    assert.equal(m.add('z.example.org:443 close, 5 bytes sent, 0 bytes received, lifetime <1 sec', 0).patternId, a.patternId);
    assert.equal(m.pattern(a.patternId)?.count, 3);
    assert.equal(m.size, 1);
    // Lists of any length.
    const blocks = mine(['ask 10.0.0.1 to delete blk_1', 'ask 10.0.0.1 to delete blk_1 blk_2 blk_3', 'ask 10.0.0.2 to delete blk_7 blk_8']);
    assert.deepEqual(new Set(blocks), new Set(['ask <*> to delete <*>']));
    // A different message is not absorbed: an extra literal word.
    assert.equal(new Set(mine(['connection to 10.0.0.1 closed', 'connection to 10.0.0.1 closed by peer'])).size, 2);
    assert.equal(new Set(mine(['ask 10.0.0.1 to delete blk_1', 'ask 10.0.0.1 to delete blk_1 blk_2'], new Miner({ rules: { crossLength: false } }))).size, 2);
  });

  test('lines of another length survive a snapshot and go with their pattern on eviction', () => {
    const m = new Miner({ maxPatterns: 20 });
    const a = m.add('ask 10.0.0.1 to delete blk_1', 0);
    m.add('ask 10.0.0.1 to delete blk_1 blk_2', 0);
    const restored = Miner.restore(JSON.parse(JSON.stringify(m.snapshot())));
    assert.deepEqual(restored.snapshot(), m.snapshot());
    assert.equal(restored.add('ask 10.0.0.9 to delete blk_4 blk_5', 0).patternId, a.patternId);
    // Fill with other patterns until the forwarded one is evicted: its forwarder goes too.
    // (Eviction goes by count decayed over the lines since last seen: let it go stale.)
    const word = (i: number) => String.fromCharCode(97 + (i % 26), 97 + ((i * 7) % 26), 97 + ((i * 11) % 26));
    for (let i = 0; i < 40; i++) for (let k = 0; k < 20; k++) restored.add(`${word(i)} message ${word(i + 100)} here`, 0);
    assert.equal(restored.pattern(a.patternId), undefined, 'evicted');
    const again = restored.add('ask 10.0.0.9 to delete blk_4 blk_5', 0);
    assert.equal(again.isNew, true, 'the forwarding cluster went with its pattern');
  });

  test('a word between two variables never splits the pattern (part of a value)', () => {
    // The weekday proves variable first; then the month changes once.
    const lines = ['Sun Jul', 'Mon Jul', 'Tue Jul', 'Wed Jun', 'Thu Jun'].map((d, i) => `login from 10.0.0.${i} (host) at ${d} 2${i} 02:40:5${i} 2005`);
    const noDates = new Miner({ rules: { dates: false } });
    assert.deepEqual(new Set(mine(lines, noDates)), new Set(['login from <*> (host) at <*> <*> <*> <*> <*>']));
    assert.equal(new Set(mine(lines, new Miner({ rules: { dates: false, betweenValues: false } }))).size, 2);
  });

  test('unknown rule names fail at construction', () => {
    assert.throws(() => new Miner({ rules: { nope: false } as never }), /unknown rule "nope"/);
  });
});

describe('template tokens', () => {
  test('generalising keeps a bracketed value after a varying name', () => {
    assert.equal(generalizeToken('launchd[<*>]', 'kernel[<*>]'), '<*>[<*>]');
    assert.equal(generalizeToken('user=root', 'user=admin'), 'user=<*>');
    assert.equal(generalizeToken('(<*>)', '(x)'), '(<*>)');
    assert.equal(generalizeToken('yarn,curi', 'yarn'), '<*>');
    assert.equal(generalizeToken('a<*>)', 'b<*>)'), '<*>)');
  });

  test('a template token with several values covers the tokens it generalises', () => {
    assert.ok(tokenCovers('<*>[<*>]', 'syslogd[<*>]'));
    assert.ok(tokenCovers('<*>[<*>]:', 'a[1]:'));
    assert.ok(!tokenCovers('<*>[<*>]', 'syslogd'));
    assert.ok(!tokenCovers('<*>[<*>]:', 'a[1]'));
    assert.ok(tokenCovers('uid=<*>,gid=<*>', 'uid=1,gid=2'));
    assert.ok(!tokenCovers('uid=<*>,gid=<*>', 'uid=1;gid=2'));
  });
});
