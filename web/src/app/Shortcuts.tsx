// Keyboard shortcuts: a `?` overlay listing them, and a hook for pages to bind their own single keys.
import { useEffect, useId, useRef, useState } from 'react';
import type { MessageKey } from '../i18n/catalogues';
import { useT } from '../i18n/useT';

/** Every shortcut, as the overlay lists them (pages bind their own with useShortcut). */
export const SHORTCUTS: { keys: string[]; what: MessageKey; where: MessageKey }[] = [
  { keys: ['?'], what: 'shortcuts.toggle', where: 'shortcuts.anywhere' },
  { keys: ['j'], what: 'shortcuts.next', where: 'shortcuts.queue' },
  { keys: ['k'], what: 'shortcuts.previous', where: 'shortcuts.queue' },
  { keys: ['o'], what: 'shortcuts.open', where: 'shortcuts.queue' },
  { keys: ['r'], what: 'shortcuts.reply', where: 'shortcuts.ticket' },
  { keys: ['Ctrl', 'Enter'], what: 'shortcuts.send', where: 'shortcuts.replyBox' },
  { keys: ['Ctrl', 'Shift', 'Enter'], what: 'shortcuts.sendResolve', where: 'shortcuts.replyBox' },
];

/** Keys whose name differs between keyboards ("Ctrl" is "Strg" on a German one). */
const KEY_NAME: Record<string, MessageKey> = {
  Ctrl: 'key.ctrl',
  Shift: 'key.shift',
  Enter: 'key.enter',
};

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
  const t = useT();
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
          <h2 id={titleId}>{t('shortcuts.title')}</h2>
          <button
            ref={closeRef}
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => setOpen(false)}
          >
            {t('common.close')}
          </button>
        </div>
        <table className="table shortcuts">
          <thead>
            <tr>
              <th scope="col">{t('shortcuts.keys')}</th>
              <th scope="col">{t('shortcuts.what')}</th>
              <th scope="col">{t('shortcuts.where')}</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys.join('+')}>
                <td>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 && ' + '}
                      <kbd>{KEY_NAME[k] ? t(KEY_NAME[k]) : k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{t(s.what)}</td>
                <td>{t(s.where)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
