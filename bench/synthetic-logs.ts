/**
 * Synthetic log corpora with ground truth, for robustness checks of the template miner on
 * structures the Loghub dev set barely has. Written here from general knowledge of how such
 * systems log (nothing copied from any data set): eight "system styles", each a handful of
 * message templates whose variables are drawn from typed generators — numbers, hex, IPs,
 * host:port, MACs, UUIDs, paths, durations written several ways, sizes, quoted free text,
 * user and host names without digits, two-valued variables, several-valued constants (each
 * constant a template of its own). The ground truth writes each variable as one `<*>`,
 * whatever number of tokens it spans, and keeps the punctuation around it.
 *
 *   npx tsx bench/synthetic-logs.ts [lines=2000]   GA/PA of the default miner per style
 *
 * These scores are a development aid only: they are not the figures reported (those are
 * the Loghub dev set's, plain and leave-one-out: bench/loghub-score.ts, bench/loghub-loo.ts).
 */
import { pathToFileURL } from 'node:url';

export interface SyntheticCorpus {
  readonly name: string;
  readonly lines: string[];
  readonly truth: string[];
}

type Rand = () => number;

function rng(seed: number): Rand {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
/** Heavy-tailed pick: early items far more often. */
const zipf = <T>(r: Rand, xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(xs.length * r() ** 2.5))] as T;
const hex = (r: Rand, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(r, 0, 15)]).join('');

const USERS = ['root', 'admin', 'oracle', 'test', 'guest', 'alice', 'bob', 'carol', 'deploy', 'backup', 'nagios', 'postgres', 'www', 'mail', 'ftp', 'operator'];
const WORDS = ['alpha', 'bravo', 'delta', 'echo', 'kilo', 'lima', 'oscar', 'romeo', 'sierra', 'tango', 'victor', 'zulu'];
const DOMAINS = ['example.org', 'cdn.example.net', 'mail.example.com', 'api.service.io', 'static.site.org', 'updates.vendor.com', 'img.photos.net'];
const APPS = ['browser.exe', 'mailer.exe', 'updater.exe', 'chat.exe', 'sync.exe'];

/** Typed variable generators: each returns the value as written in the log. */
const V: Record<string, (r: Rand) => string> = {
  num: (r) => String(zipf(r, [0, 1, 2, 3, 5, 8, 13, 42, 100, 128, 404, 512, 1024, 4096, 65535]) + int(r, 0, 3)),
  big: (r) => String(int(r, 1000, 99999999)),
  float: (r) => (r() * 10).toFixed(int(r, 1, 7)),
  ip: (r) => `10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`,
  ipport: (r) => `10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}:${int(r, 1024, 65535)}`,
  hostport: (r) => `${pick(r, ['www.', '', 'ssl.'])}${zipf(r, DOMAINS)}:${pick(r, ['80', '443', '8080', '5222'])}`,
  host: (r) => zipf(r, DOMAINS),
  nodename: (r) => `node-${int(r, 1, 400)}`,
  location: (r) => `R${int(r, 10, 77)}-M${int(r, 0, 1)}-N${int(r, 0, 15)}-C:J${String(int(r, 2, 17)).padStart(2, '0')}-U${int(r, 0, 1)}1`,
  hex: (r) => `0x${hex(r, int(r, 4, 8))}`,
  hexbare: (r) => hex(r, 8),
  uuid: (r) => `${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}`,
  mac: (r) => Array.from({ length: 6 }, () => hex(r, 2)).join(':'),
  path: (r) => `/${pick(r, ['var', 'usr', 'opt', 'srv'])}/${pick(r, ['lib', 'log', 'cache', 'share'])}/${pick(r, WORDS)}/${pick(r, WORDS)}.${pick(r, ['db', 'log', 'conf', 'dat'])}`,
  winpath: (r) => `C:\\Windows\\${pick(r, ['System32', 'servicing', 'WinSxS', 'Logs'])}\\${pick(r, WORDS)}.${pick(r, ['dll', 'mum', 'cat', 'log'])}`,
  user: (r) => zipf(r, USERS),
  word: (r) => pick(r, WORDS),
  app: (r) => zipf(r, APPS),
  pkg: (r) => `com.${pick(r, ['example', 'vendor', 'acme'])}.${pick(r, WORDS)}`,
  // Durations and sizes as loggers write them: the number of tokens varies.
  lifetime: (r) => pick(r, ['<1 sec', '<1 sec', `00:${String(int(r, 1, 59)).padStart(2, '0')}`, `${String(int(r, 1, 9)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}`]),
  took: (r) => pick(r, [`${int(r, 1, 999)} ms`, `${(r() * 9).toFixed(2)} s`, `${int(r, 1, 59)}ms`]),
  size: (r) => `${(r() * 999).toFixed(2)} ${pick(r, ['KB', 'MB', 'GB'])}`,
  quoted: (r) => `"${Array.from({ length: int(r, 1, 3) }, () => pick(r, ['View', 'Lock', 'sync', 'window', 'Main', 'alarm', 'wake'])).join(' ')}"`,
  date: (r) => `${pick(r, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])} ${pick(r, ['Mar', 'Apr'])} ${String(int(r, 1, 28)).padStart(2, ' ')} ${String(int(r, 0, 23)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')} 2021`,
  // Two-valued variables: the sample happens to show only two values.
  iface: (r) => pick(r, ['eth0', 'eth1']),
  peer: (r) => pick(r, ['primary', 'standby']),
  state: (r) => pick(r, ['running', 'stopped', 'paused', 'suspended']),
};

/** A template: text with `{type}` slots; weight = how often it occurs. */
type Spec = readonly [weight: number, template: string];

const STYLES: Readonly<Record<string, readonly Spec[]>> = {
  proxy: [
    [30, '{hostport} open through proxy {hostport} HTTPS'],
    [8, '{hostport} open through proxy {hostport} SOCKS5'],
    [30, '{hostport} close, {num} bytes sent, {num} bytes received, lifetime {lifetime}'],
    [10, '{hostport} close, {big} bytes ({size}) sent, {big} bytes ({size}) received, lifetime {lifetime}'],
    [6, '{hostport} close, {num} bytes sent, {big} bytes ({size}) received, lifetime {lifetime}'],
    [5, '{hostport} error : Could not connect through proxy {hostport} - Proxy server cannot establish a connection with the target, status code {num}'],
    [3, '{hostport} error : A connection request was canceled before the completion.'],
    [2, 'Traffic summary: {big} bytes sent, {big} bytes received'],
  ],
  mobile: [
    [20, 'acquire lock={big}, flags={hex}, tag={quoted}, name={pkg}, ws=null, uid={big}, pid={num}'],
    [20, 'release lock={big}, flags={hex}, tag={quoted}, name={pkg}, ws=null, uid={big}, pid={num}'],
    [10, 'Skipping screen update: display {num} is off'],
    [8, 'setLightsOn({word}) called'],
    [8, 'Start proc {num}:{pkg}/u0a{num} for service {pkg}/.{word}Service'],
    [6, 'onStart: {pkg} started in {took}'],
    [6, 'getTasks: max={num}, flags={hex}, caller={pkg}'],
    [5, 'Battery level changed to {num} percent, plugged={num}, status={num}'],
    [4, 'notification posted {pkg}: id={num} tag={quoted} priority={num}'],
    [3, 'Killing {num}:{pkg}/u0a{num} (adj {num}): empty for {num}s'],
  ],
  ras: [
    [25, 'instruction cache parity error corrected'],
    [10, 'generating core.{num}'],
    [12, 'CE sym {num}, at {hex}, mask {hex}'],
    [10, 'total of {num} ddr error(s) detected and corrected'],
    [8, 'ciod: failed to read message prefix on control stream (CioStream socket to {ipport}'],
    [6, 'data TLB error interrupt'],
    [6, '{location} node card is not fully functional'],
    [5, 'machine check interrupt (bit={hex}): L2 dcache unit data parity error'],
    [5, 'rts: kernel terminated for reason {num}'],
    [4, 'Node card VPD check: {location} node in processor card slot {location} do not match.'],
  ],
  cluster: [
    [25, '{nodename} Component State Change: Component "alt0" is in the unavailable state (HWID={num})'],
    [15, '{nodename} action start {big} boot (command {num})'],
    [12, 'ServerFileSystem domain {word} has failed'],
    [10, 'Link error on broadcast tree Interconnect-0T00:00:{num}:{num}'],
    [8, 'Temperature ({num}C) exceeds warning threshold'],
    [8, '{nodename} node state set to {state}'],
    [6, 'PSU status ( on off )'],
    [5, 'boot command {num} issued to {num} nodes'],
    [4, 'Fan speeds ( {num} {num} {num} {num} {num} {num} )'],
  ],
  servicing: [
    [20, 'Loaded Servicing Stack v6.1.{num}.{num} with Core: {winpath}'],
    [15, 'Session: {big}_{big} initialized by client WindowsUpdateAgent.'],
    [15, 'Read out cached package applicability for package: Package_for_KB{big}~31bf3856ad364e35~amd64~~6.1.{num}.{num}, ApplicableState: {num}, CurrentState:{num}'],
    [10, 'Failed to internally open package. [HRESULT = {hex} - CBS_E_INVALID_PACKAGE]'],
    [8, 'SQM: Initializing online with Windows opt-in: False'],
    [8, 'Warning: Unrecognized packageExtended attribute.'],
    [6, 'Ending TrustedInstaller initialization.'],
    [6, 'Starting the TrustedInstaller main loop.'],
    [5, 'Expecting attribute name [HRESULT = {hex} - CBS_E_MANIFEST_INVALID_ITEM]'],
    [4, 'Session {big}_{big} finalized. Reboot required: no [HRESULT = {hex}]'],
  ],
  cloud: [
    [25, '{ip} "GET /v2/{hexbare}/servers/detail HTTP/1.1" status: {num} len: {num} time: {float}'],
    [10, '{ip} "POST /v2/{hexbare}/os-server-external-events HTTP/1.1" status: {num} len: {num} time: {float}'],
    [6, '{ip} "DELETE /v2/{hexbare}/servers/{uuid} HTTP/1.1" status: {num} len: {num} time: {float}'],
    [10, '[instance: {uuid}] VM Started (Lifecycle Event)'],
    [10, '[instance: {uuid}] VM Stopped (Lifecycle Event)'],
    [8, '[instance: {uuid}] Took {float} seconds to build instance.'],
    [6, '[instance: {uuid}] Creating image'],
    [6, 'Compute_service record updated for {host}:{host}'],
    [5, '[instance: {uuid}] Terminating instance'],
    [4, 'Running instance usage audit for host {host} from {date} to {date}. {num} instances.'],
  ],
  desktop: [
    [15, 'ARPT: {float}: wl0: Roamed or switched channel, reason #{num}, bssid {mac}, last RSSI {num}'],
    [12, 'AppleThunderboltNHIType2::prePCIWake - power up complete - took {num} us'],
    [10, '{pkg}[{num}] ({pkg}[{num}]): Could not find uid associated with service: {num}: Undefined error: {num} {num}'],
    [10, 'Wake reason: {word} {word}'],
    [8, 'Process {app} [{num}] crashed in thread {num}'],
    [8, 'Sandbox: {app}({num}) deny({num}) file-read-data {path}'],
    [6, 'HID idle for {took}, display dim'],
    [6, 'Setting device power state to {num} for {hexbare}'],
    [5, 'tcp_connection_destination_perform_socket_connect {num} connectx to {ipport}@{num} failed: [{num}] Network is unreachable'],
    [4, 'Service exited due to SIGKILL | sent by {app}[{num}]'],
  ],
  daemon: [
    [20, 'DHCPREQUEST for {ip} ({ip}) from {mac} via {iface}'],
    [15, 'DHCPACK on {ip} to {mac} via {iface}'],
    [12, 'session opened for user {user} by (uid={num})'],
    [12, 'session closed for user {user}'],
    [8, 'synchronized to {ip}, stratum {num}'],
    [8, 'Failed password for {user} from {ip} port {num} ssh2'],
    [6, 'connection from {ip} to {peer} refused'],
    [5, '{iface}: link up, {num} Mbps, full duplex'],
    [4, 'Out of memory: Killed process {num} ({word}) total-vm:{num}kB'],
    [4, 'cron job {path} started by {user} at {date}'],
  ],
};

export const SYNTHETIC_STYLES = Object.keys(STYLES);

export function syntheticCorpus(style: string, n = 2000, seed = 1): SyntheticCorpus {
  const specs = STYLES[style];
  if (!specs) throw new Error(`unknown style ${style}`);
  const r = rng(seed * 7919 + style.length * 104729 + style.charCodeAt(0));
  const total = specs.reduce((a, s) => a + s[0], 0);
  const lines: string[] = [];
  const truth: string[] = [];
  for (let i = 0; i < n; i++) {
    let x = r() * total;
    let spec = specs[0] as Spec;
    for (const s of specs) {
      x -= s[0];
      if (x < 0) {
        spec = s;
        break;
      }
    }
    lines.push(spec[1].replace(/\{(\w+)\}/g, (_, type: string) => (V[type] as (r: Rand) => string)(r)));
    truth.push(spec[1].replace(/\{(\w+)\}/g, '<*>'));
  }
  return { name: style, lines, truth };
}

async function main(argv: string[]): Promise<void> {
  const { Miner } = await import('../src/logs/mining/index.js');
  const { score } = await import('./loghub-score.js');
  const n = Number(argv[0] ?? 2000);
  const options = argv[1] ? (JSON.parse(argv[1]) as Record<string, unknown>) : {};
  let ga = 0;
  let pa = 0;
  console.log('| style | GA | PA |\n|---|---|---|');
  for (const style of SYNTHETIC_STYLES) {
    const c = syntheticCorpus(style, n);
    const m = new Miner(options);
    const ids = c.lines.map((l) => m.add(l, 0).patternId);
    const s = score(c.truth, ids.map((id) => m.templateOf(id) ?? ''));
    ga += s.ga;
    pa += s.pa;
    console.log(`| ${style} | ${s.ga.toFixed(4)} | ${s.pa.toFixed(4)} |`);
  }
  console.log(`| **Average** | **${(ga / SYNTHETIC_STYLES.length).toFixed(4)}** | **${(pa / SYNTHETIC_STYLES.length).toFixed(4)}** |`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
