/**
 * The bytes of one HTTP/1.1 probe request, built once per check (and per redirect hop):
 * request line, Host, the user's headers, Basic auth from the URL's user info, framing, and
 * `Connection: close` — every probe opens a connection of its own, as blackbox_exporter's do.
 * Header names keep the user's spelling; a user's header replaces a default of the same
 * name whatever its case (as Node's client did).
 */
import { isIP } from 'node:net';

/** Where to connect and what to send. */
export interface PreparedRequest {
  readonly tls: boolean;
  /** Host to connect to: a name or an IP address, without IPv6 brackets. */
  readonly host: string;
  readonly port: number;
  /** TLS server name (SNI and certificate name check); undefined for an IP address. */
  readonly servername: string | undefined;
  /** Verify the server's certificate chain and name (TLS). */
  readonly rejectUnauthorized: boolean;
  /** HEAD: the response has no body whatever its headers say. */
  readonly bodiless: boolean;
  /** The whole request, head and body. */
  readonly bytes: Buffer;
}

/** Header names are tokens; values hold no control characters other than tab (RFC 9110 §5.5). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** Why a header cannot be sent, or undefined when it can. */
export function headerProblem(name: string, value: string): string | undefined {
  if (!TOKEN.test(name)) return `header name ${JSON.stringify(name)} is not a valid HTTP token`;
  if (BAD_VALUE.test(value)) return `header ${name} holds a control character or a character beyond U+00FF`;
  return undefined;
}

/** Methods whose requests carry a body by default: without one they say Content-Length: 0. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface RequestSpec {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly verifyTls: boolean;
}

/** Throws a TypeError naming the header when one cannot be sent. */
export function prepareRequest({ url, method, headers: userHeaders, body, verifyTls }: RequestSpec): PreparedRequest {
  const tls = url.protocol === 'https:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  const headers = new Map<string, [string, string]>();
  const set = (name: string, value: string) => headers.set(name.toLowerCase(), [name, value]);
  set('User-Agent', 'Vigil-Probe/1');
  for (const [name, value] of Object.entries(userHeaders)) {
    const problem = headerProblem(name, value);
    if (problem !== undefined) throw new TypeError(problem);
    set(name, value);
  }
  if (!headers.has('host')) set('Host', url.host);
  if ((url.username !== '' || url.password !== '') && !headers.has('authorization')) {
    const auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    set('Authorization', `Basic ${Buffer.from(auth, 'utf8').toString('base64')}`);
  }
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  if (!headers.has('content-length') && !headers.has('transfer-encoding')) {
    if (payload !== undefined) set('Content-Length', String(payload.length));
    else if (BODY_METHODS.has(method)) set('Content-Length', '0');
  }
  if (!headers.has('connection')) set('Connection', 'close');
  let head = `${method} ${url.pathname || '/'}${url.search} HTTP/1.1\r\n`;
  for (const [name, value] of headers.values()) head += `${name}: ${value}\r\n`;
  head += '\r\n';
  const headBytes = Buffer.from(head, 'latin1');
  // SNI names the host the request is for (a Host header given by the user names it), never an IP.
  const hostHeader = (headers.get('host') as [string, string])[1];
  const sniHost = hostHeader.startsWith('[') ? hostHeader.slice(1, hostHeader.indexOf(']')) : hostHeader.replace(/:\d*$/, '');
  return {
    tls,
    host,
    port,
    servername: tls && sniHost !== '' && isIP(sniHost) === 0 ? sniHost : undefined,
    rejectUnauthorized: verifyTls,
    bodiless: method === 'HEAD',
    bytes: payload === undefined ? headBytes : Buffer.concat([headBytes, payload]),
  };
}
