import type { ReactNode } from 'react';
import { errorText } from '../lib/api';

/** Something is on its way: a spinner with words, announced politely. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{what}…</span>
    </div>
  );
}

/** Nothing to show, and why that may be fine or what to do about it. */
export function Empty({ title, children, icon = '○' }: { title: string; children?: ReactNode; icon?: string }) {
  return (
    <div className="state state-empty">
      <span className="state-icon" aria-hidden="true">
        {icon}
      </span>
      <p className="state-title">{title}</p>
      {children ? <div className="state-hint">{children}</div> : null}
    </div>
  );
}

/** A request failed: what the server said, and a way to try again. */
export function Failure({ error, retry, what = 'This could not be loaded' }: { error: unknown; retry?: () => void; what?: string }) {
  return (
    <div className="state state-error" role="alert">
      <span className="state-icon" aria-hidden="true">
        !
      </span>
      <p className="state-title">{what}</p>
      <p className="state-hint">{errorText(error)}</p>
      {retry ? (
        <button type="button" className="btn" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** The usual trio for a polled resource: loading first, failure without data, else the content. */
export function Resource<T>({
  polled,
  what,
  children,
}: {
  polled: { data: T | undefined; error: unknown; loading: boolean; refresh(): void };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (polled.data !== undefined) return <>{children(polled.data)}</>;
  if (polled.error) return <Failure error={polled.error} retry={polled.refresh} what={`${what} could not be loaded`} />;
  return <Loading what={`Loading ${what.toLowerCase()}`} />;
}
