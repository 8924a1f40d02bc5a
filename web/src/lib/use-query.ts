import { useEffect, useState } from 'react';
import { ApiFailure } from './api';

/** Runs `run` whenever `key` changes (and every `intervalMs` if given); the latest result wins. */
export function useQuery<T>(key: string | undefined, run: (signal: AbortSignal) => Promise<T>, intervalMs = 0): { data?: T; error?: ApiFailure; loading: boolean } {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean; key?: string }>({ loading: key !== undefined });
  useEffect(() => {
    if (key === undefined) return;
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState((s) => (s.key === key ? s : { loading: true, key }));
    const go = () =>
      run(ctl.signal).then(
        (data) => {
          setState({ data, loading: false, key });
          if (intervalMs > 0) timer = setTimeout(go, intervalMs);
        },
        (e: unknown) => {
          if ((e as Error).name === 'AbortError') return;
          setState((s) => ({ ...s, loading: false, error: e instanceof ApiFailure ? e : new ApiFailure(0, 'error', String(e)) }));
          if (intervalMs > 0) timer = setTimeout(go, intervalMs);
        },
      );
    void go();
    return () => {
      ctl.abort();
      if (timer) clearTimeout(timer);
    };
    // `run` is rebuilt each render; `key` says when it means something new.
  }, [key, intervalMs]);
  return state;
}
