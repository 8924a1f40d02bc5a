export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'vigil.theme';

export function storedTheme(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** Applies a theme to <html data-theme>; `system` follows the OS (prefers-color-scheme). */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset['theme'];
  } else {
    localStorage.setItem(KEY, choice);
    document.documentElement.dataset['theme'] = choice;
  }
}

export function effectiveTheme(): 'light' | 'dark' {
  const t = document.documentElement.dataset['theme'];
  if (t === 'light' || t === 'dark') return t;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
