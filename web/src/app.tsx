import { Suspense, useEffect, useRef, useState } from 'react';
import { Link, matchPath, navigate, useLocation } from './lib/router';
import { useSession } from './lib/session';
import { CapabilitiesProvider, useCapabilities } from './lib/capabilities';
import { NAV, isActive, type NavItem } from './lib/nav';
import { applyTheme, storedTheme, type ThemeChoice } from './lib/theme';
import { ROUTES } from './routes';
import { ConnectionBanner, ConnectionDot } from './components/connection';
import { Shortcuts } from './components/shortcuts';
import { Failure, Loading } from './components/states';
import { SignIn } from './pages/sign-in';
import { Kiosk } from './pages/overview';

function NavLink({ item, path, onNavigate }: { item: NavItem; path: string; onNavigate: () => void }) {
  const active = isActive(item, path);
  if (item.external)
    return (
      <li>
        <a href={item.path} className="nav-link" target="_blank" rel="noopener">
          <span className="nav-icon" aria-hidden="true">
            {item.icon}
          </span>
          {item.label}
          <span className="muted" aria-hidden="true">
            {' '}
            ↗
          </span>
          <span className="sr-only"> (public page, opens in a new tab)</span>
        </a>
      </li>
    );
  return (
    <li>
      <Link to={item.path} className={`nav-link${active ? ' active' : ''}`} aria-current={active ? 'page' : undefined} onClick={onNavigate}>
        <span className="nav-icon" aria-hidden="true">
          {item.icon}
        </span>
        {item.label}
      </Link>
    </li>
  );
}

function ThemeSwitch() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme());
  const next: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
  const label: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };
  return (
    <button
      type="button"
      className="btn btn-ghost"
      onClick={() => {
        const n = next[choice];
        applyTheme(n);
        setChoice(n);
      }}
      aria-label={`${label[choice]} (change)`}
      title={`${label[choice]}: click to change`}
    >
      <span aria-hidden="true">{choice === 'dark' ? '☾' : choice === 'light' ? '☀' : '◐'}</span>
    </button>
  );
}

function UserMenu() {
  const { session, signOut } = useSession();
  if (!session) return null;
  return (
    <div className="user">
      <span className="user-name" title={`role: ${session.role ?? 'none'}`}>
        {session.name} <span className="muted">({session.role})</span>
      </span>
      {session.mode === 'token' ? (
        <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>
          Sign out
        </button>
      ) : null}
    </div>
  );
}

function Page({ path }: { path: string }) {
  for (const r of ROUTES) {
    const params = matchPath(r.pattern, path);
    if (params) {
      const P = r.page;
      return <P params={params} />;
    }
  }
  return (
    <div className="page">
      <h1>Not found</h1>
      <p>
        There is no page at <code>{path}</code>. <Link to="/">Go to the overview</Link>.
      </p>
    </div>
  );
}

function Shell() {
  const { path, search } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const caps = useCapabilities();
  // Moving between pages puts focus at the start of the new page, as a page load would
  // (not on the first load: the skip link comes first then).
  const firstPath = useRef(path);
  useEffect(() => {
    setMenuOpen(false);
    if (path === firstPath.current) return;
    firstPath.current = '';
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
  if (path === '/' && search.has('kiosk')) return <Kiosk />;
  return (
    <div className={`shell${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="btn btn-ghost menu-button" aria-expanded={menuOpen} aria-controls="sidebar" onClick={() => setMenuOpen((o) => !o)}>
          <span aria-hidden="true">☰</span> Menu
        </button>
        <Link to="/" className="brand" aria-label="Vigil overview">
          <img src="/favicon.svg" alt="" width="22" height="22" /> Vigil
        </Link>
        <span className="topbar-spacer" />
        <ConnectionDot />
        <ThemeSwitch />
        <UserMenu />
      </header>
      <nav id="sidebar" className="sidebar" aria-label="Main">
        {NAV.map((section) => {
          const items = section.items.filter((i) => !i.requires || caps[i.requires]);
          return items.length ? (
            <div key={section.title} className="nav-section">
              <h2 className="nav-title">{section.title}</h2>
              <ul>
                {items.map((item) => (
                  <NavLink key={item.path} item={item} path={path} onNavigate={() => setMenuOpen(false)} />
                ))}
              </ul>
            </div>
          ) : null;
        })}
        <p className="nav-hint">
          Press <kbd>?</kbd> for shortcuts
        </p>
      </nav>
      <main id="main" tabIndex={-1}>
        <ConnectionBanner />
        <Suspense fallback={<Loading what="Loading the page" />}>
          <Page path={path} />
        </Suspense>
      </main>
      <Shortcuts />
    </div>
  );
}

/** Where to go after signing in: a path on this site only. */
function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/';
}

export function App() {
  const { session, error, reload } = useSession();
  const { path } = useLocation();
  const signedIn = session?.authenticated;
  useEffect(() => {
    if (signedIn === false && path !== '/sign-in') navigate(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`, { replace: true });
    if (signedIn === true && path === '/sign-in') navigate(nextPath(), { replace: true });
  }, [signedIn, path]);
  if (!session) {
    if (error) return <Failure error={error} retry={reload} what="Vigil cannot be reached" />;
    return <Loading what="Connecting to Vigil" />;
  }
  if (!session.authenticated) return <SignIn />;
  if (path === '/sign-in') return <Loading what="Signing in" />;
  return (
    <CapabilitiesProvider enabled>
      <Shell />
    </CapabilitiesProvider>
  );
}
