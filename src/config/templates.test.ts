import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templateData } from '../notify/index.js';
import { loadConfigFile } from './load.js';

const MSG = {
  receiver: 'ops',
  groupKey: 'k',
  groupLabels: { alertname: 'Disk' },
  alerts: [{ status: 'firing' as const, labels: { alertname: 'Disk', team: 'db' }, annotations: {}, startsAt: 1, endsAt: 0, generatorURL: '', fingerprint: 'f' }],
};

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-templates-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('templates: files found by glob beside the config; a define overrides the defaults that use it', () =>
  withDir((dir) => {
    mkdirSync(join(dir, 'tmpl'));
    writeFileSync(join(dir, 'tmpl', 'subject.tmpl'), '{{ define "__subject" }}{{ .CommonLabels.team | toUpper }}: {{ .GroupLabels.alertname }}{{ end }}');
    writeFileSync(join(dir, 'vigil.yml'), 'templates: ["tmpl/*.tmpl"]\nreceivers:\n  - name: ops\n    slack_configs:\n      - api_url: https://hooks.slack.com/services/T/B/x\n        text: "{{ template \\"slack.default.title\\" . }}!"\nroute:\n  receiver: ops\n');
    const r = loadConfigFile(join(dir, 'vigil.yml'));
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
    if (!r.ok) return;
    assert.deepEqual(r.config.template_files.map((f) => f.name), [join('tmpl', 'subject.tmpl')]);
  }));

test('a template file that does not parse, and a receiver text that does not, are config errors with where', () =>
  withDir((dir) => {
    writeFileSync(join(dir, 'bad.tmpl'), '{{ define "x" }}\n{{ if }}{{ end }}');
    writeFileSync(join(dir, 'vigil.yml'), 'templates: [bad.tmpl, missing/*.tmpl]\nreceivers:\n  - name: ops\n    webhook_configs:\n      - url: "http://x/{{ .Nope "\nroute:\n  receiver: ops\n');
    const r = loadConfigFile(join(dir, 'vigil.yml'));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.ok(r.errors.some((e) => /^templates: template: bad\.tmpl:2:\d+: .*missing value for if/.test(e)), r.errors.join('\n'));
    assert.ok(r.errors.some((e) => /^receivers\[0\]\.webhook_configs\[0\]\.url: bad template: /.test(e)), r.errors.join('\n'));
  }));

test('the engine built from the files renders the overridden subject', async () => {
  const { goTemplates } = await import('../notify/index.js');
  const engine = goTemplates([{ name: 'subject.tmpl', text: '{{ define "__subject" }}{{ .CommonLabels.team | toUpper }}: {{ .GroupLabels.alertname }}{{ end }}' }]);
  assert.equal(engine.text('{{ template "slack.default.title" . }}', templateData(MSG, 'http://v')), 'DB: Disk');
  assert.equal(engine.text('{{ template "email.default.subject" . }}', templateData(MSG, 'http://v')), 'DB: Disk');
});
