import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactLogLine } from './log-redact.js';

test('credentials in query strings and URL userinfo are redacted; other parameters stay', () => {
  const line = JSON.stringify({ req: { url: '/api/v1/query?query=up&access_token=abc123&step=15' }, msg: 'GET https://user:pa55@example.com/x?api_key=k1&X-Amz-Signature=ff00&client_secret=s&page=2#frag token=x' });
  const out = redactLogLine(line);
  for (const secret of ['abc123', 'pa55', 'k1', 'ff00', '&client_secret=s&']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
  for (const kept of ['query=up', 'step=15', 'page=2', 'user:[REDACTED]@example.com', 'access_token=[REDACTED]', 'api_key=[REDACTED]']) assert.ok(out.includes(kept), `${kept} missing from ${out}`);
  assert.equal(redactLogLine('{"msg":"nothing here"}'), '{"msg":"nothing here"}');
  for (const q of ['?token=t1', '&password=p1', ';auth=a1', '?ApiKey=k1', '?session_id=s1'.replace('_id', 'id')]) assert.ok(!redactLogLine(`"${q}"`).match(/[tpaks]1/), q);
});

test("an acknowledge link's signed token is redacted from the path, the rest of the line stays", () => {
  const token = 'eyJhIjoiYWNrIn0.c2lnbmF0dXJl';
  const line = JSON.stringify({ req: { method: 'POST', url: `/ack/${token}` }, msg: `link https://vigil.example/ack/${token}?x=1 used` });
  const out = redactLogLine(line);
  assert.ok(!out.includes(token), out);
  assert.ok(out.includes('"url":"/ack/[REDACTED]"'), out);
  assert.ok(out.includes('https://vigil.example/ack/[REDACTED]?x=1 used'), out);
  assert.equal(redactLogLine('{"msg":"/api/v1/incidents/INC-1/ack"}'), '{"msg":"/api/v1/incidents/INC-1/ack"}', 'an ack route without a token is left alone');
});
