import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiFailure, setCsrfToken } from './api';
import type { Role, SessionView } from './types';

const RANK: Record<Role, number> = { ingest: 0, viewer: 1, responder: 2, admin: 3 };

interface SessionState {
  readonly session: SessionView | undefined;
  readonly error: ApiFailure | undefined;
  /** Whether the signed-in principal's role allows `need` (the UI shows no button it cannot use). */
  can(need: Role): boolean;
  signIn(token: string): Promise<void>;
  signOut(): Promise<void>;
  reload(): void;
}

const Ctx = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionView>();
  const [error, setError] = useState<ApiFailure>();
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let stop = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      api.session().then(
        (s) => {
          if (stop) return;
          setCsrfToken(s.csrf_token);
          setSession(s);
          setError(undefined);
        },
        (e: unknown) => {
          if (stop) return;
          setError(e instanceof ApiFailure ? e : new ApiFailure(0, 'error', String(e)));
          retry = setTimeout(load, 3000);
        },
      );
    void load();
    const out = () => reload();
    window.addEventListener('vigil:signed-out', out);
    return () => {
      stop = true;
      if (retry) clearTimeout(retry);
      window.removeEventListener('vigil:signed-out', out);
    };
  }, [tick, reload]);

  const value: SessionState = {
    session,
    error,
    can: (need) => {
      const role = session?.authenticated ? session.role : null;
      if (!role || role === 'ingest') return false;
      return RANK[role] >= RANK[need];
    },
    signIn: async (token) => {
      const s = await api.post<SessionView>('/api/v1/session', { token });
      setCsrfToken(s.csrf_token);
      setSession(s);
    },
    signOut: async () => {
      await api.del('/api/v1/session');
      setCsrfToken(null);
      reload();
    },
    reload,
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
