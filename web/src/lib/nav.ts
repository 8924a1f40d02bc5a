import type { Capability } from './capabilities';

export interface NavItem {
  readonly path: string;
  readonly label: string;
  /** A glyph beside the label (decorative). */
  readonly icon: string;
  /** The second key of its `g` shortcut (`g i`: incidents). */
  readonly key?: string;
  /** Shown only when the server has this capability. */
  readonly requires?: Capability;
  /** A page the server renders itself (the public status page): a plain link, not a view of this app. */
  readonly external?: boolean;
}

export interface NavSection {
  readonly title: string;
  readonly items: readonly NavItem[];
}

/**
 * The navigation, by what an on-call engineer is doing. Later pages (on-call schedules,
 * SLOs, reports, status page) are already placed: they appear when their API exists.
 */
export const NAV: readonly NavSection[] = [
  {
    title: 'Respond',
    items: [
      { path: '/', label: 'Overview', icon: '◉', key: 'o' },
      { path: '/incidents', label: 'Incidents', icon: '⚑', key: 'i' },
      { path: '/alerts', label: 'Alerts', icon: '⚠', key: 'a' },
      { path: '/oncall', label: 'On-call', icon: '☎', key: 'p', requires: 'oncall' },
    ],
  },
  {
    title: 'Monitor',
    items: [
      { path: '/checks', label: 'Checks', icon: '✓', key: 'c' },
      { path: '/slos', label: 'SLOs', icon: '◔', key: 'b', requires: 'slos' },
      { path: '/status', label: 'Status page', icon: '▣', requires: 'statusPage', external: true },
    ],
  },
  {
    title: 'Explore',
    items: [
      { path: '/explore/metrics', label: 'Metrics', icon: '↗', key: 'm' },
      { path: '/explore/logs', label: 'Logs', icon: '≡', key: 'l' },
    ],
  },
  {
    title: 'Configure',
    items: [
      { path: '/routing', label: 'Routing', icon: '⇢', key: 'r' },
      { path: '/silences', label: 'Silences', icon: '∅', key: 's', requires: 'silences' },
      { path: '/maintenance', label: 'Maintenance', icon: '◆', key: 'w', requires: 'maintenance' },
      { path: '/rules', label: 'Rules', icon: '§', key: 'u', requires: 'rules' },
    ],
  },
  {
    title: 'Learn',
    items: [
      { path: '/action-items', label: 'Action items', icon: '☐', key: 'f', requires: 'actionItems' },
      { path: '/reports', label: 'Reports', icon: '▤', key: 'e', requires: 'reports' },
    ],
  },
];

export function isActive(item: NavItem, path: string): boolean {
  return item.path === '/' ? path === '/' : path === item.path || path.startsWith(`${item.path}/`);
}
