import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Article, Suggestion } from '@contracts';
import { api } from '../../api/client';
import { useT } from '../../i18n';
import { Button, ErrorAlert, Loading, Panel, useDebounced } from '../../ui';
import { Markdown } from '../../ui/Markdown';
import { suggestionOpened, ticketAvoided, useSuggestions } from './flowApi';

/**
 * Articles that may answer the ticket a requester is writing, suggested as they type. Opening one and then
 * leaving the form without sending, or "This solved it", counts a ticket avoided (once per visit).
 * `sending` is true once the ticket is on its way: leaving then is no avoided ticket.
 */
export function ArticleSuggestions({ text, sending }: { text: string; sending: boolean }) {
  const t = useT();
  const q = useDebounced(text, 400);
  const found = useSuggestions(q);
  const [session] = useState(() => crypto.randomUUID());
  const [open, setOpen] = useState<Suggestion | null>(null);
  const [solved, setSolved] = useState(false);
  const last = useRef<{ opened: string | null; done: boolean }>({ opened: null, done: false });
  last.current.done = sending || solved;

  useEffect(() => {
    const leave = () => {
      const { opened, done } = last.current;
      if (opened && !done) {
        last.current.done = true;
        void ticketAvoided(session, opened, 'left').catch(() => undefined);
      }
    };
    window.addEventListener('pagehide', leave);
    return () => {
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [session]);

  const show = (s: Suggestion) => {
    setOpen(s);
    last.current.opened = s.id;
    void suggestionOpened(session, s.id).catch(() => undefined);
  };
  const items = found.data ?? [];
  if (solved)
    return (
      <Panel title={t('kb.suggest.title')}>
        <p role="status">{t('kb.suggest.glad')}</p>
        <Link to="/portal">{t('kb.suggest.backHome')}</Link>
      </Panel>
    );
  if (items.length === 0 && !open) return null;
  return (
    <Panel title={t('kb.suggest.title')}>
      <p className="muted">{t('kb.suggest.hint')}</p>
      <ul className="kb-suggestions" aria-label={t('kb.suggest.title')}>
        {items.map((s) => (
          <li key={s.id}>
            <button type="button" className="link" onClick={() => show(s)} aria-expanded={open?.id === s.id}>
              {s.title}
            </button>
          </li>
        ))}
      </ul>
      {open && (
        <SuggestionText
          s={open}
          onSolved={() => {
            setSolved(true);
            void ticketAvoided(session, open.id, 'solved').catch(() => undefined);
          }}
        />
      )}
    </Panel>
  );
}

/** The published text of an opened suggestion, with "This solved it". */
function SuggestionText({ s, onSolved }: { s: Suggestion; onSolved: () => void }) {
  const t = useT();
  const [a, setA] = useState<Article | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const ctl = new AbortController();
    api
      .get<Article>(`/api/v1/kb/articles/${encodeURIComponent(s.id)}`, undefined, ctl.signal)
      .then(setA, (e: unknown) => {
        if (!ctl.signal.aborted) setError(e);
      });
    return () => ctl.abort();
  }, [s.id]);
  if (error) return <ErrorAlert error={error} />;
  if (!a?.published) return <Loading />;
  return (
    <article className="kb-suggestion" aria-label={a.published.title}>
      <h3>{a.published.title}</h3>
      <Markdown source={a.published.body} />
      {a.published.workaround && (
        <>
          <h4>{t('kb.workaround')}</h4>
          <Markdown source={a.published.workaround} />
        </>
      )}
      <Button onClick={onSolved}>{t('kb.suggest.solved')}</Button>
    </article>
  );
}
