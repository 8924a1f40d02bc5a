import { goTemplates } from '../common/go-engine.js';
import type { SecretReader } from '../common/secrets.js';
import type { TemplateEngine } from '../common/templates.js';
import type { NotifierDeps } from '../spec.js';

export const TEST_SECRET_FILE = '/run/secrets/vigil-test';
export const TEST_SECRET_ENV = 'VIGIL_TEST_SECRET';

/** A secret reader over a fixed environment and file table (no real files or variables). */
export function fakeSecrets(env: Record<string, string> = {}, files: Record<string, string> = {}): SecretReader {
  return {
    env,
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
  };
}

export interface TestDeps extends NotifierDeps {
  /** Every warning logged, as `message {fields}`. */
  readonly logs: string[];
}

export function testDeps(overrides: Partial<NotifierDeps> & { templates?: TemplateEngine } = {}): TestDeps {
  const logs: string[] = [];
  return {
    externalURL: 'http://vigil.test',
    logLine: (line) => logs.push(line),
    templates: goTemplates([], { now: () => Date.UTC(2026, 0, 1, 12) }),
    secrets: fakeSecrets(),
    logger: { warn: (message, fields) => logs.push(`${message} ${JSON.stringify(fields ?? {})}`) },
    now: () => Date.UTC(2026, 0, 1, 12),
    hostname: 'vigil.test',
    ...overrides,
    logs,
  };
}
