import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import type { Article, ArticleImage, ChangeSummary, Ci } from '@contracts';
import { api, type Page } from '../../api/client';
import { ArticleImages } from './ArticleImages';
import { useT } from '../../i18n';
import { Alert, Button, ErrorAlert, Panel, TextField, useDebounced } from '../../ui';
import { useArticleLinkAction } from './flowApi';

/** Items by name, or a change by its key (CHG-42), to link an article to. */
function useTargetSearch(text: string) {
  const q = text.trim();
  return useQuery({
    queryKey: ['kb', 'target-search', q],
    enabled: q.length >= 2,
    queryFn: async ({ signal }) => {
      if (/^CHG-\d+$/i.test(q)) {
        const r = await api.get<Page<ChangeSummary>>('/api/v1/changes', { key: q.toUpperCase() }, signal);
        return r.items.map((c) => ({ type: 'change' as const, id: c.id, name: `${c.key} ${c.title}` }));
      }
      const r = await api.get<Page<Ci>>('/api/v1/cis', { q, limit: 8, installations: 'exclude' }, signal);
      return r.items.map((c) => ({ type: 'item' as const, id: c.id, name: c.name }));
    },
  });
}

/**
 * For authors: the review flag (a linked item or change changed) with "Reviewed", the tickets the article is
 * linked to, the items and changes it depends on, and images to put into its text.
 */
export function ArticleLinksPanel({ a }: { a: Article }) {
  const t = useT();
  const act = useArticleLinkAction(a.id);
  const [q, setQ] = useState('');
  const found = useTargetSearch(useDebounced(q, 300));
  const [image, setImage] = useState<ArticleImage | null>(null);
  const linked = new Set(a.targets.map((x) => x.id));
  return (
    <Panel title={t('kb.links.title')}>
      {a.reviewFlag && (
        <Alert tone="warning" title={t('kb.flag.title')}>
          <p>{t('kb.flag.reason', { reason: a.reviewFlag.reason })}</p>
          <Button busy={act.isPending} onClick={() => act.mutate({ op: 'reviewed' })}>
            {t('kb.flag.reviewed')}
          </Button>
        </Alert>
      )}
      {act.isError && <ErrorAlert error={act.error} />}
      <h3>{t('kb.links.tickets')}</h3>
      {a.tickets.length === 0 ? (
        <p className="muted">{t('kb.links.noTickets')}</p>
      ) : (
        <ul aria-label={t('kb.links.tickets')}>
          {a.tickets.map((x) => (
            <li key={x.id}>
              <Link to={`/tickets/${x.id}`}>
                {x.key} {x.title}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('kb.links.targets')}</h3>
      <p className="muted">{t('kb.links.targetsHint')}</p>
      <ul aria-label={t('kb.links.targets')}>
        {a.targets.map((x) => (
          <li key={`${x.type}-${x.id}`}>
            {x.name}{' '}
            <Button
              variant="ghost"
              aria-label={t('kb.ticket.unlinkNamed', { key: x.name })}
              onClick={() => act.mutate({ op: 'unlink', type: x.type, id: x.id })}
            >
              {t('kb.ticket.unlink')}
            </Button>
          </li>
        ))}
      </ul>
      <TextField
        label={t('kb.links.find')}
        hint={t('kb.links.findHint')}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {(found.data ?? [])
        .filter((x) => !linked.has(x.id))
        .map((x) => (
          <div key={x.id} className="row">
            <span>{x.name}</span>
            <Button
              aria-label={t('kb.ticket.linkNamed', { key: x.name })}
              onClick={() =>
                act.mutate({ op: 'link', type: x.type, id: x.id }, { onSuccess: () => setQ('') })
              }
            >
              {t('kb.ticket.link')}
            </Button>
          </div>
        ))}
      <h3>{t('kb.images.title')}</h3>
      <label className="field">
        <span className="field-label">{t('kb.images.add')}</span>
        <input
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) act.mutate({ op: 'image', file }, { onSuccess: (img) => setImage(img ?? null) });
          }}
        />
      </label>
      <ArticleImages a={a} />
      {image && (
        <p role="status">
          {t('kb.images.paste')} <code>{image.markdown}</code>
        </p>
      )}
    </Panel>
  );
}
