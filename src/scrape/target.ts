import { formatDuration } from '../model/duration.js';
import type { Labels } from '../model/labels.js';
import type { ScrapeConfig } from './config.js';
import { relabel } from './relabel.js';

/**
 * One scrape target after relabel_configs: what to fetch and the labels every series it
 * exposes gets. Follows Prometheus's populateLabels: defaults for job, __scheme__,
 * __metrics_path__, __scrape_interval__, __scrape_timeout__ and __param_<name>, then
 * relabel_configs, then instance defaults to __address__ and every `__` label is removed.
 */
export interface Target {
  readonly job: string;
  readonly url: string;
  /** Final target labels (job, instance, static labels…); never contains `__` names or empty values. */
  readonly labels: Labels;
  /** The labels before relabeling, as Prometheus's API shows them. */
  readonly discoveredLabels: Labels;
}

export function buildTargets(cfg: ScrapeConfig): Target[] {
  const out: Target[] = [];
  const seen = new Set<string>();
  for (const sc of cfg.static_configs) {
    for (const address of sc.targets) {
      const t = buildTarget(cfg, { ...sc.labels, __address__: address });
      if (!t) continue;
      const key = `${t.url}\u0000${JSON.stringify(Object.entries(t.labels).sort())}`;
      if (seen.has(key)) continue; // Prometheus deduplicates identical targets too
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

function buildTarget(cfg: ScrapeConfig, discovered: Record<string, string>): Target | undefined {
  const lb: Record<string, string> = { ...discovered };
  const setDefault = (name: string, value: string) => {
    if (lb[name] === undefined || lb[name] === '') lb[name] = value;
  };
  setDefault('job', cfg.job_name);
  setDefault('__scheme__', cfg.scheme);
  setDefault('__metrics_path__', cfg.metrics_path);
  setDefault('__scrape_interval__', formatDuration(cfg.scrape_interval));
  setDefault('__scrape_timeout__', formatDuration(cfg.scrape_timeout));
  for (const [name, values] of Object.entries(cfg.params)) {
    if (values[0] !== undefined) setDefault(`__param_${name}`, values[0]);
  }
  const shown = { ...lb };
  const relabeled = relabel(lb, cfg.relabel_configs);
  if (!relabeled) return undefined;
  const address = relabeled['__address__'];
  if (!address) return undefined;
  const params = new URLSearchParams();
  for (const [name, values] of Object.entries(cfg.params)) {
    const override = relabeled[`__param_${name}`];
    values.forEach((v, i) => params.append(name, i === 0 && override !== undefined ? override : v));
  }
  for (const [name, v] of Object.entries(relabeled)) {
    const p = name.startsWith('__param_') ? name.slice('__param_'.length) : undefined;
    if (p !== undefined && !(p in cfg.params)) params.append(p, v);
  }
  const query = params.toString();
  const scheme = relabeled['__scheme__'] ?? cfg.scheme;
  const path = relabeled['__metrics_path__'] ?? cfg.metrics_path;
  const url = `${scheme}://${address}${path}${query ? `?${query}` : ''}`;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(relabeled)) if (!k.startsWith('__') && v !== '') labels[k] = v;
  if (labels['instance'] === undefined) labels['instance'] = address;
  return { job: cfg.job_name, url, labels, discoveredLabels: shown };
}
