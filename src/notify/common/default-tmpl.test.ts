import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_MESSAGE } from '../describe-notifier.js';
import type { MessageAlert, NotificationMessage } from '../message.js';
import { builtinTemplates, DEFAULT_TEMPLATES } from '../testing/reference-templates.js';
import { goTemplates } from './go-engine.js';
import { templateData } from './template-data.js';

const alert = (status: 'firing' | 'resolved', labels: Record<string, string>, annotations: Record<string, string>, i: number): MessageAlert => ({
  status,
  labels,
  annotations,
  startsAt: Date.UTC(2026, 0, 1, 10, i),
  endsAt: status === 'resolved' ? Date.UTC(2026, 0, 1, 11, i) : 0,
  generatorURL: `http://vigil.test/graph?g0.expr=up${i}`,
  fingerprint: `f${i}`,
});

const MESSAGES: Record<string, NotificationMessage> = {
  sample: SAMPLE_MESSAGE,
  resolved: { ...SAMPLE_MESSAGE, alerts: SAMPLE_MESSAGE.alerts.map((a) => ({ ...a, status: 'resolved' as const, endsAt: a.startsAt + 1000 })) },
  mixed: {
    receiver: 'team-(a|b).ops',
    groupKey: '{}:{alertname="Disk"}',
    groupLabels: { alertname: 'Disk', cluster: 'eu-1' },
    alerts: [
      alert('firing', { alertname: 'Disk', cluster: 'eu-1', instance: 'a:9100', severity: 'warning' }, { summary: 'disk < 5% & "falling"', runbook: 'https://r/disk?x=1+2' }, 1),
      alert('firing', { alertname: 'Disk', cluster: 'eu-1', instance: 'b:9100', severity: 'warning' }, { summary: 'disk < 5% & "falling"' }, 2),
      alert('resolved', { alertname: 'Disk', cluster: 'eu-1', instance: 'c:9100', severity: 'warning' }, { description: "it's <fine>" }, 3),
    ],
  },
  'no links, no group labels': { receiver: 'r', groupKey: '{}:{}', groupLabels: {}, alerts: [alert('firing', { alertname: 'A', team: 'x' }, {}, 4)] },
};

test('the Go default templates give exactly what the reference defaults give, for every name', () => {
  const go = goTemplates();
  const ref = builtinTemplates();
  for (const [label, msg] of Object.entries(MESSAGES)) {
    const d = templateData(msg, 'http://vigil.test');
    for (const name of Object.keys(DEFAULT_TEMPLATES)) {
      const text = `{{ template "${name}" . }}`;
      assert.equal(go.text(text, d), ref.text(text, d), `${name} (text) for message "${label}"`);
    }
    for (const name of ['email.default.html', 'telegram.default.message', 'pushover.default.message', '__subject']) {
      const text = `{{ template "${name}" . }}`;
      assert.equal(go.html(text, d), ref.html(text, d), `${name} (html) for message "${label}"`);
    }
    for (const text of ['{{ .Alerts.Firing | toJson }}', '{{ .Alerts.Resolved | len }}', '{{ if eq .Status "firing" }}2{{ else }}0{{ end }}']) {
      assert.equal(go.text(text, d), ref.text(text, d), `${text} for message "${label}"`);
    }
  }
});

test('the Alertmanager subject and alert list, as Alertmanager renders them', () => {
  const d = templateData(MESSAGES.mixed as NotificationMessage, 'http://vigil.test');
  const go = goTemplates();
  assert.equal(go.text('{{ template "__subject" . }}', d), '[FIRING:2] Disk eu-1 (warning)');
  assert.equal(go.text('{{ template "__subject" . }}', templateData(MESSAGES.resolved as NotificationMessage, 'x')), '[RESOLVED] Conformance (critical)');
  assert.equal(go.text('{{ template "__alertmanagerURL" . }}', d), 'http://vigil.test/alerts?receiver=team-%5C%28a%5C%7Cb%5C%29%5C.ops');
  assert.equal(
    go.text('{{ template "__text_alert_list" .Alerts.Resolved }}', d),
    'Labels:\n - alertname = Disk\n - cluster = eu-1\n - instance = c:9100\n - severity = warning\nAnnotations:\n - description = it\'s <fine>\nSource: http://vigil.test/graph?g0.expr=up3\n',
  );
});
