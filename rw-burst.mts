import { encodeWriteRequest } from './src/ingest/index.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
const url = process.argv[2]!;
const pid = Number(process.argv[4]);
const n = Number(process.argv[3] ?? 300000);
const now = Date.now();
const timeseries = [];
for (let i = 0; i < n; i++) {
  timeseries.push({ labels: [{ name: '__name__', value: 'burst_metric' }, { name: 'id', value: randomBytes(24).toString('base64') }, { name: 'path', value: '/api/v1/' + randomBytes(18).toString('base64') }], samples: [{ timestamp: now, value: i }] });
}
const body = encodeWriteRequest({ timeseries });
console.log('body bytes', body.length);
const rss = () => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(s)?.[1]) / 1024;
};
console.log('rss before', rss());
const t0 = Date.now();
const r = await fetch(url + '/api/v1/write', { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, body });
console.log('status', r.status, await r.text(), Date.now() - t0, 'ms');
for (let i = 0; i < 8; i++) { console.log('rss', i * 5, 's', rss()); await new Promise((r) => setTimeout(r, 5000)); }
