import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built web UI: web/dist beside src/ and dist/ (both two levels below the package root). */
export const WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * The key that signs browser sessions, kept in the data directory (readable by its owner
 * only) so sessions survive restarts. Deleting the file signs everyone out.
 */
export function loadSessionKey(dataDir: string): Buffer {
  const file = join(dataDir, 'session.key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length >= 32) return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64url') + '\n', { mode: 0o600 });
  return key;
}
