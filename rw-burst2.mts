import { encodeWriteRequest } from './src/ingest/index.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
const url = process.argv[2]!;
const n = Number(process.argv[3]);
const per = Number(process.argv[4]);
const pid = Number(process.argv[5]);
const now = Date.now();
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
const heap = async () => { const t = await (await fetch(url + '/metrics')).text(); const g = (k: string) => (Number(new RegExp(`^${k} (\\S+)`, 'm').exec(t)?.[1]) / 2 ** 20).toFixed(0); return `heapUsed ${g('nodejs_heap_size_used_bytes')} heapTotal ${g('nodejs_heap_size_total_bytes')} external ${g('nodejs_external_memory_bytes')}`; };
console.log('rss before', rss().toFixed(0), await heap());
const t0 = Date.now();
for (let b = 0; b < n / per; b++) {
  const timeseries = [];
  for (let i = 0; i < per; i++) timeseries.push({ labels: [{ name: '__name__', value: 'burst_metric' }, { name: 'id', value: randomBytes(24).toString('base64') }, { name: 'path', value: '/api/v1/' + randomBytes(18).toString('base64') }], samples: [{ timestamp: now, value: i }] });
  const r = await fetch(url + '/api/v1/write', { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, body: encodeWriteRequest({ timeseries }) });
  if (r.status !== 204) console.log('status', r.status, await r.text());
}
console.log('sent in', Date.now() - t0, 'ms');
for (let i = 0; i < 5; i++) { console.log('rss', i * 10, 's', rss().toFixed(0), await heap()); await new Promise((r) => setTimeout(r, 10000)); }
