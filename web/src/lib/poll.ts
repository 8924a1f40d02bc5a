import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiFailure } from './api';

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: ApiFailure | undefined;
  readonly loading: boolean;
  /** When the data was last fetched successfully (ms). */
  readonly updatedAt: number | undefined;
  refresh(): void;
}

/** How often views poll; the overview's kiosk mode and tests may set it (`?refresh=5s`). */
export const DEFAULT_POLL_MS = 5000;

/**
 * Fetches `path` now and every `intervalMs` while the page is visible, so views update
 * without reload. Vigil answers with ETags and the browser revalidates (If-None-Match →
 * 304), so an unchanged view costs almost nothing. The last good data stays on screen
 * while a poll fails; the error is reported beside it. `path` undefined: nothing to fetch.
 */
export function usePoll<T>(path: string | undefined, intervalMs: number = DEFAULT_POLL_MS): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean; updatedAt?: number; text?: string }>({ loading: path !== undefined });
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  const last = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (path === undefined) return;
    if (last.current !== path) setState({ loading: true });
    last.current = path;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onVisible: (() => void) | undefined;
    const ctl = new AbortController();
    const run = async () => {
      try {
        const data = await api.get<T>(path, { signal: ctl.signal });
        if (stopped) return;
        const text = JSON.stringify(data);
        setState((s) => (s.text === text && !s.error && !s.loading ? { ...s, updatedAt: Date.now() } : { data, loading: false, updatedAt: Date.now(), text }));
      } catch (e) {
        if (stopped || (e as Error).name === 'AbortError') return;
        setState((s) => ({ ...s, loading: false, error: e instanceof ApiFailure ? e : new ApiFailure(0, 'error', String(e)) }));
      }
      if (!stopped && intervalMs > 0) timer = setTimeout(() => void (document.hidden ? waitVisible() : run()), intervalMs);
    };
    const waitVisible = () => {
      onVisible = () => {
        if (document.hidden || !onVisible) return;
        document.removeEventListener('visibilitychange', onVisible);
        onVisible = undefined;
        void run();
      };
      document.addEventListener('visibilitychange', onVisible);
    };
    void run();
    return () => {
      stopped = true;
      ctl.abort();
      if (timer) clearTimeout(timer);
      if (onVisible) document.removeEventListener('visibilitychange', onVisible);
    };
  }, [path, intervalMs, tick]);

  return { data: state.data, error: state.error, loading: state.loading, updatedAt: state.updatedAt, refresh };
}
