import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

/**
 * Parts of Vigil that a server may or may not have yet (on-call, the Alertmanager API,
 * rule groups, SLOs, reports, a status page): the UI asks once and shows their pages and
 * widgets only where they exist. A new capability is one line here and one in nav.ts.
 */
export const CAPABILITIES = {
  oncall: '/api/v1/oncall',
  silences: '/api/v2/silences',
  alertGroups: '/api/v2/alerts/groups',
  rules: '/api/v1/rules',
  actionItems: '/api/v1/action-items',
  maintenance: '/api/v1/maintenance',
  slos: '/api/v1/slos',
  reports: '/api/v1/reports',
  statusPage: '/status.json',
  /** Public incident updates (what the status page says), probed on an incident that does not exist. */
  publicUpdates: '/api/v1/incidents/INC-0000-0000/updates',
} as const;
export type Capability = keyof typeof CAPABILITIES;

const Ctx = createContext<Partial<Record<Capability, boolean>>>({});

export function CapabilitiesProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [caps, setCaps] = useState<Partial<Record<Capability, boolean>>>({});
  useEffect(() => {
    if (!enabled) return;
    let stop = false;
    for (const [name, path] of Object.entries(CAPABILITIES) as Array<[Capability, string]>) {
      // Any answer but "no route" means the route exists (a 400 for missing parameters, or
      // a 404 for an incident that does not exist, included).
      fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then(
        async (r) => {
          const missing = r.status === 404 && /^no route/.test(((await r.json().catch(() => ({}))) as { message?: string }).message ?? 'no route');
          if (!stop) setCaps((c) => ({ ...c, [name]: !missing }));
        },
        () => undefined,
      );
    }
    return () => {
      stop = true;
    };
  }, [enabled]);
  return <Ctx.Provider value={caps}>{children}</Ctx.Provider>;
}

export function useCapability(name: Capability): boolean {
  return useContext(Ctx)[name] === true;
}

/** Every capability known so far (absent: not known yet, or missing). */
export function useCapabilities(): Partial<Record<Capability, boolean>> {
  return useContext(Ctx);
}
