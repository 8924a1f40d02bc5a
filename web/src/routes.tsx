import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { Overview } from './pages/overview';

type Page = ComponentType<{ params: Record<string, string> }> | LazyExoticComponent<ComponentType<{ params: Record<string, string> }>>;

/** Every page by path pattern. The overview is in the first bundle; the rest load on demand. */
export const ROUTES: ReadonlyArray<{ pattern: string; page: Page }> = [
  { pattern: '/', page: Overview },
  { pattern: '/incidents', page: lazy(() => import('./pages/incidents')) },
  { pattern: '/incidents/:id', page: lazy(() => import('./pages/incident')) },
  { pattern: '/alerts', page: lazy(() => import('./pages/alerts')) },
  { pattern: '/silences', page: lazy(() => import('./pages/silences')) },
  { pattern: '/rules', page: lazy(() => import('./pages/rules')) },
  { pattern: '/checks', page: lazy(() => import('./pages/checks')) },
  { pattern: '/checks/:name', page: lazy(() => import('./pages/check')) },
  { pattern: '/explore/metrics', page: lazy(() => import('./pages/metrics')) },
  { pattern: '/explore/logs', page: lazy(() => import('./pages/logs')) },
  { pattern: '/routing', page: lazy(() => import('./pages/routing')) },
  { pattern: '/action-items', page: lazy(() => import('./pages/action-items')) },
  { pattern: '/maintenance', page: lazy(() => import('./pages/maintenance')) },
  { pattern: '/slos', page: lazy(() => import('./pages/slos')) },
  { pattern: '/reports', page: lazy(() => import('./pages/reports')) },
  { pattern: '/oncall', page: lazy(() => import('./pages/oncall')) },
];
