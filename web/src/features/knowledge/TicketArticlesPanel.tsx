import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { Ticket } from '@contracts';
import { useT } from '../../i18n';
import { Button, ErrorAlert, Panel, TextAreaField, TextField, useDebounced } from '../../ui';
import { articlePath } from './api';
import { useArticleSearch, useTicketArticleAction, useTicketArticles } from './flowApi';
import { useKindLabel } from './labels';

/**
 * The knowledge on a ticket, for agents: its articles (and an incident's problem's known error), search and
 * link more, unlink; "Turn into article" on a resolved ticket; a problem's known error with its workaround.
 */
export function TicketArticlesPanel({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const kind = useKindLabel();
  const navigate = useNavigate();
  const list = useTicketArticles(ticket.id);
  const act = useTicketArticleAction(ticket.id);
  const [q, setQ] = useState('');
  const found = useArticleSearch(useDebounced(q, 300));
  const [workaround, setWorkaround] = useState('');
  const items = list.data?.items ?? [];
  const linked = new Set(items.map((a) => a.id));
  const resolved = ticket.status === 'resolved' || ticket.status === 'closed';
  const made = items.some((a) => a.role === 'source');
  const known = items.some((a) => a.role === 'known_error' && a.via === null);
  const open = (a: { id: string } | undefined) => a && void navigate(articlePath(a.id));
  return (
    <Panel title={t('kb.ticket.title')}>
      {list.isError && <ErrorAlert error={list.error} />}
      {act.isError && <ErrorAlert error={act.error} />}
      {items.length === 0 ? (
        <p className="muted">{t('kb.ticket.none')}</p>
      ) : (
        <ul className="kb-linked" aria-label={t('kb.ticket.title')}>
          {items.map((a) => (
            <li key={a.id}>
              <Link to={articlePath(a.id)}>
                {a.key} {a.title}
              </Link>{' '}
              <span className="muted">{a.via ? t('kb.ticket.via', { key: a.via }) : kind(a.kind)}</span>
              {a.via === null && (
                <Button
                  variant="ghost"
                  aria-label={t('kb.ticket.unlinkNamed', { key: a.key })}
                  onClick={() => act.mutate({ op: 'unlink', articleId: a.id })}
                >
                  {t('kb.ticket.unlink')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <TextField label={t('kb.ticket.find')} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      {(found.data ?? [])
        .filter((a) => !linked.has(a.id))
        .map((a) => (
          <div key={a.id} className="row">
            <span>
              {a.key} {a.title}
            </span>
            <Button
              aria-label={t('kb.ticket.linkNamed', { key: a.key })}
              busy={act.isPending}
              onClick={() => act.mutate({ op: 'link', articleId: a.id }, { onSuccess: () => setQ('') })}
            >
              {t('kb.ticket.link')}
            </Button>
          </div>
        ))}
      {resolved && !made && (
        <Button busy={act.isPending} onClick={() => act.mutate({ op: 'turn' }, { onSuccess: open })}>
          {t('kb.ticket.turn')}
        </Button>
      )}
      {ticket.type === 'problem' && !known && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            act.mutate({ op: 'knownError', body: { workaround } }, { onSuccess: open });
          }}
        >
          <TextAreaField
            label={t('kb.workaround')}
            rows={3}
            value={workaround}
            onChange={(e) => setWorkaround(e.target.value)}
          />
          <Button type="submit" busy={act.isPending}>
            {t('kb.ticket.knownError')}
          </Button>
        </form>
      )}
    </Panel>
  );
}
