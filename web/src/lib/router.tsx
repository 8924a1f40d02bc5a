import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

// A small History API router: the UI's paths are real URLs (shareable, reloadable; Vigil
// answers them with index.html), matched against patterns like /incidents/:id.

const subscribers = new Set<() => void>();
const notify = () => subscribers.forEach((s) => s());
window.addEventListener('popstate', notify);

function subscribe(cb: () => void): () => void {
  subscribers.add(cb);
  return () => subscribers.delete(cb);
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

/** The current path and query string; re-renders on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const loc = useSyncExternalStore(subscribe, snapshot);
  const q = loc.indexOf('?');
  return { path: q < 0 ? loc : loc.slice(0, q), search: new URLSearchParams(q < 0 ? '' : loc.slice(q)) };
}

/** Replaces query parameters (an empty value removes one), keeping the others: shareable state. */
export function setSearch(values: Record<string, string | undefined>, opts: { replace?: boolean } = {}): void {
  const params = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === '') params.delete(k);
    else params.set(k, v);
  }
  const qs = params.toString();
  navigate(`${window.location.pathname}${qs ? `?${qs}` : ''}`, opts);
}

export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/').filter(Boolean);
  const a = path.split('/').filter(Boolean);
  if (p.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] as string;
    const val = a[i] as string;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(val);
    else if (seg !== val) return undefined;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; children: ReactNode };

/** A real link (open in a new tab works) that navigates in place on a plain click. */
export function Link({ to, children, onClick, ...rest }: LinkProps) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={click} {...rest}>
      {children}
    </a>
  );
}

/** Sets the document title for a page (`Incidents · Vigil`). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Vigil` : 'Vigil';
  }, [title]);
}
