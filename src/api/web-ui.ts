import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

interface Asset {
  readonly type: string;
  readonly etag: string;
  readonly raw: Buffer;
  /** Compressible and large enough to be worth it. */
  readonly compress: boolean;
  /** Compressed on first request, off the event loop, then kept: at start they cost ~0.75 CPU-s and ~13 MiB of resident memory. */
  gzip?: Promise<Buffer>;
  br?: Promise<Buffer>;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

const API_PREFIXES = ['/api/', '/loki/', '/v1/', '/assets/', '/-/'];
const API_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/favicon.ico', '/federate']);

/**
 * The browser's security policy for the UI: only this origin's scripts, no framing (a kiosk
 * that must embed Vigil can use its own proxy), styles inline because the editors set them.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function load(root: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const ext = extname(name);
        if (ext === '.map') continue;
        const raw = readFileSync(p);
        const compressible = /^(text\/|application\/(json|manifest)|image\/svg)/.test(TYPES[ext] ?? '');
        out.set(`/${relative(root, p).split(sep).join('/')}`, {
          type: TYPES[ext] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`,
          raw,
          compress: compressible && raw.length > 1024,
        });
      }
    }
  };
  walk(root);
  return out;
}

async function send(req: FastifyRequest, reply: FastifyReply, asset: Asset, cache: string): Promise<FastifyReply> {
  void reply.header('content-type', asset.type).header('etag', asset.etag).header('cache-control', cache).header('vary', 'accept-encoding');
  if (req.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  const accept = String(req.headers['accept-encoding'] ?? '');
  if (asset.compress && /\bbr\b/.test(accept)) {
    asset.br ??= brotliAsync(asset.raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 10, [zlib.BROTLI_PARAM_SIZE_HINT]: asset.raw.length } });
    return reply.header('content-encoding', 'br').send(await asset.br);
  }
  if (asset.compress && /\bgzip\b/.test(accept)) {
    asset.gzip ??= gzipAsync(asset.raw, { level: 9 });
    return reply.header('content-encoding', 'gzip').send(await asset.gzip);
  }
  return reply.send(asset.raw);
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Vigil</title>
<body style="font:16px system-ui;max-width:40em;margin:3em auto;line-height:1.5">
<h1>Vigil is running; its web UI is not built</h1>
<p>This copy of Vigil has no built UI (<code>web/dist</code>). In a checkout, <code>npm install</code> builds it,
or run <code>npm run build:web</code>. The API answers meanwhile: <a href="/api/v1/checks">/api/v1/checks</a>.</p>`;

/**
 * Serves the built web UI (web/dist) at `/`: hashed assets cached for a year, precompressed
 * (brotli, gzip) on first request and kept; every other GET that asks for HTML gets index.html, so the
 * UI's own paths (/incidents/INC-2026-0001) load directly.
 */
export function registerWebUi(app: FastifyInstance, root: string | undefined): (req: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined {
  const assets = root && existsSync(join(root, 'index.html')) ? load(root) : new Map<string, Asset>();
  const index = assets.get('/index.html');
  for (const [path, asset] of assets) {
    if (path === '/index.html') continue;
    const immutable = path.startsWith('/assets/');
    app.get(path, { config: {} }, async (req, reply) => send(req, reply, asset, immutable ? 'public, max-age=31536000, immutable' : 'no-cache'));
  }
  const page = async (req: FastifyRequest, reply: FastifyReply) => {
    void reply.headers(SECURITY_HEADERS);
    if (!index) return reply.status(200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    return send(req, reply, index, 'no-cache');
  };
  app.get('/', page);
  // The UI's own paths, on a direct load or reload: index.html, which routes in the browser.
  return (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const wantsHtml = /text\/html/.test(String(req.headers.accept ?? ''));
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !wantsHtml || API_PATHS.has(path) || API_PREFIXES.some((p) => path.startsWith(p))) return undefined;
    void page(req, reply);
    return reply;
  };
}
