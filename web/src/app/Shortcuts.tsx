// Keyboard shortcuts: a `?` overlay listing them, and a hook for pages to bind their own single keys.
import { useEffect, useId, useRef, useState } from 'react';

/** Every shortcut, as the overlay lists them (pages bind their own with useShortcut). */
export const SHORTCUTS: { keys: string[]; what: string; where: string }[] = [
  { keys: ['?'], what: 'Show or hide this list', where: 'Anywhere' },
  { keys: ['j'], what: 'Next ticket', where: 'Queue' },
  { keys: ['k'], what: 'Previous ticket', where: 'Queue' },
  { keys: ['o'], what: 'Open the chosen ticket (or Enter on it)', where: 'Queue' },
  { keys: ['r'], what: 'Write a reply', where: 'Ticket' },
  { keys: ['Ctrl', 'Enter'], what: 'Send the reply', where: 'Reply box' },
  { keys: ['Ctrl', 'Shift', 'Enter'], what: 'Send the reply and resolve', where: 'Reply box' },
];

/** True when a key press is typing (a text field, a select, an editable element), not a shortcut. */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target;
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

/** Binds a single-key shortcut (no modifiers, not while typing) while the component is mounted. */
export function useShortcut(key: string, fn: () => void, enabled = true): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== key || e.ctrlKey || e.metaKey || e.altKey || isTyping(e) || e.defaultPrevented) return;
      if (document.querySelector('[data-shortcuts-open]')) return;
      e.preventDefault();
      ref.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [key, enabled]);
}

/** The `?` overlay: a modal list of the shortcuts; Escape, `?` or the button close it. */
export function ShortcutsOverlay() {
  const [open, setOpen] = useState(false);
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const back = useRef<Element | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '?' && !isTyping(e) && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        setOpen((o) => !o);
      } else if (e.key === 'Escape') {
        setOpen(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    if (open) {
      back.current = document.activeElement;
      closeRef.current?.focus();
    } else if (back.current instanceof HTMLElement) {
      back.current.focus();
      back.current = null;
    }
  }, [open]);
  if (!open) return null;
  return (
    <div className="overlay" data-shortcuts-open onClick={() => setOpen(false)}>
      <div
        className="overlay-card panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onClick={(e) => e.stopPropagation()}
      >
        <div className="panel-header">
          <h2 id={titleId}>Keyboard shortcuts</h2>
          <button
            ref={closeRef}
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => setOpen(false)}
          >
            Close
          </button>
        </div>
        <table className="table shortcuts">
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">What it does</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys.join('+')}>
                <td>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && ' + '}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{s.what}</td>
                <td>{s.where}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
