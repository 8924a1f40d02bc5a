import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Capability, CapabilitiesResponse } from './types';

export type { Capability };

/**
 * Parts of Vigil that a server may or may not have (on-call, the Alertmanager API, rule
 * groups, SLOs, reports, a status page): the UI asks the server once
 * (GET /api/v1/capabilities, from its own routing table) and shows their pages and widgets
 * only where they exist. The list lives in src/api/schemas/capabilities.ts.
 */
const Ctx = createContext<Partial<Record<Capability, boolean>>>({});

export function CapabilitiesProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [caps, setCaps] = useState<Partial<Record<Capability, boolean>>>({});
  useEffect(() => {
    if (!enabled) return;
    let stop = false;
    fetch('/api/v1/capabilities', { credentials: 'same-origin', headers: { accept: 'application/json' } }).then(
      async (r) => {
        if (!r.ok) return;
        const body = (await r.json()) as CapabilitiesResponse;
        if (!stop) setCaps(body.capabilities);
      },
      () => undefined,
    );
    return () => {
      stop = true;
    };
  }, [enabled]);
  return <Ctx.Provider value={caps}>{children}</Ctx.Provider>;
}

export function useCapability(name: Capability): boolean {
  return useContext(Ctx)[name] === true;
}

/** Every capability known so far (absent: not known yet). */
export function useCapabilities(): Partial<Record<Capability, boolean>> {
  return useContext(Ctx);
}
