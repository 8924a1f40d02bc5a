import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import type { Extension } from '@codemirror/state';

let made: Extension | undefined;

/**
 * PromQL highlighting, linting and completion (functions, metric names, label names and
 * values) from the Prometheus project's own package, asking this Vigil's Prometheus API.
 */
export function promqlLanguage(): Extension {
  made ??= new PromQLExtension()
    .setComplete({
      remote: {
        url: window.location.origin,
        httpMethod: 'GET',
        lookbackInterval: 12 * 3600_000,
        httpErrorHandler: () => undefined,
        cache: { maxAge: 60_000 },
      },
    })
    .asExtension();
  return made;
}
