import { useEffect, useState } from 'react';
import { navigate } from '../lib/router';
import { NAV } from '../lib/nav';
import { Dialog } from './dialog';

const typing = (el: Element | null) => !!el && (el.matches('input, textarea, select, [contenteditable="true"], [contenteditable=""]') || !!el.closest('.cm-editor'));

/**
 * Keyboard shortcuts: `g` then a letter goes to a page, `/` focuses the page's search or
 * query box, `?` lists them. Never while typing.
 */
export function Shortcuts() {
  const [help, setHelp] = useState(false);
  useEffect(() => {
    let pendingG = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(document.activeElement)) return;
      if (pendingG && Date.now() - pendingG < 1500) {
        pendingG = 0;
        const item = NAV.flatMap((s) => s.items).find((i) => i.key === e.key);
        if (item) {
          e.preventDefault();
          navigate(item.path);
        }
        return;
      }
      if (e.key === 'g') pendingG = Date.now();
      else if (e.key === '?') {
        e.preventDefault();
        setHelp(true);
      } else if (e.key === '/') {
        const target = document.querySelector<HTMLElement>('[data-shortcut="focus"] .cm-content, [data-shortcut="focus"]');
        if (target) {
          e.preventDefault();
          target.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const items = NAV.flatMap((s) => s.items).filter((i) => i.key);
  return (
    <Dialog open={help} title="Keyboard shortcuts" onClose={() => setHelp(false)}>
      <table className="table shortcuts">
        <tbody>
          {items.map((i) => (
            <tr key={i.path}>
              <td>
                <kbd>g</kbd> <kbd>{i.key}</kbd>
              </td>
              <td>{i.label}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>/</kbd>
            </td>
            <td>Focus the search or query box</td>
          </tr>
          <tr>
            <td>
              <kbd>Ctrl</kbd> <kbd>Enter</kbd>
            </td>
            <td>Run the query (in an editor)</td>
          </tr>
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>Close a dialog; leave kiosk mode</td>
          </tr>
          <tr>
            <td>
              <kbd>?</kbd>
            </td>
            <td>This list</td>
          </tr>
        </tbody>
      </table>
    </Dialog>
  );
}
