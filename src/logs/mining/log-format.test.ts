import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogFormatError, compileLogFormat } from './log-format.js';

test('fields are non-greedy, spaces match any whitespace, the rest is regex', () => {
  const f = compileLogFormat('<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>');
  assert.deepEqual(f.fields, ['Date', 'Time', 'Level', 'Node', 'Component', 'Id', 'Content']);
  const r = f.parse('2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200\r');
  assert.equal(r?.['Content'], 'Notification time out: 3200');
  assert.equal(r?.['Level'], 'INFO');
  assert.equal(r?.['Id'], '774');
});

test('optional groups and escaped pipes work as in the Loghub benchmark', () => {
  const linux = compileLogFormat('<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>');
  assert.equal(linux.parse('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown')?.['PID'], '19939');
  assert.equal(linux.parse('Jun 14 15:16:01 combo kernel: hello world')?.['Content'], 'hello world');
  const health = compileLogFormat('<Time>\\|<Component>\\|<Pid>\\|<Content>');
  assert.equal(health.parse('20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579')?.['Content'], 'onStandStepChanged 3579');
});

test('a line that does not match gives null', () => {
  const f = compileLogFormat('<Date> <Time> <Level> <Component>: <Content>');
  assert.equal(f.parse('garbage'), null);
});

test('bad formats are rejected with the reason', () => {
  assert.throws(() => compileLogFormat(''), LogFormatError);
  assert.throws(() => compileLogFormat('<Date> <Time>'), /no <Content> field/);
  assert.throws(() => compileLogFormat('<Content> <Content>'), /appears twice/);
  assert.throws(() => compileLogFormat('<Date> ( <Content>'), /not a valid pattern/);
});
