import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ArticleKind } from '@contracts';
import { useCurrentUser } from '../auth/session';
import {
  Alert,
  ButtonLink,
  CheckboxField,
  ListPage,
  ListTable,
  SearchField,
  SelectField,
  useDebounced,
} from '../../ui';
import { articlePath, useArticles, useMyAcknowledgements } from './api';
import { useKindLabel, useStatusLabel } from './labels';
import { useT } from '../../i18n';

/** The policies waiting for the caller's acknowledgement, as links. */
function WaitingForMe() {
  const t = useT();
  const mine = useMyAcknowledgements();
  const items = mine.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Alert tone="warning" title={t('kb.list.toAcknowledge')}>
      <ul aria-label={t('kb.list.toAcknowledge')}>
        {items.map((p) => (
          <li key={p.id}>
            <Link to={articlePath(p.id)}>
              {p.key} {p.title}
            </Link>
            {p.dueOn ? ` ${t('kb.list.by', { date: p.dueOn })}` : ''}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** The knowledge base: published articles for the caller, searched; authors also see every draft. */
export function KnowledgePage() {
  const t = useT();
  const kindLabel = useKindLabel();
  const statusLabel = useStatusLabel();
  const me = useCurrentUser();
  const author = me.role !== 'requester';
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<ArticleKind | ''>('');
  const [working, setWorking] = useState(false);
  const [flagged, setFlagged] = useState(false);
  const search = useDebounced(q, 250);
  const list = useArticles({
    q: search,
    kind,
    working: author && (working || flagged),
    flagged: author && flagged,
  });
  return (
    <ListPage
      title={t('kb.list.title')}
      description={t('kb.list.description')}
      actions={
        author && (
          <>
            <ButtonLink to="/kb/avoided">{t('kb.avoided.title')}</ButtonLink>
            <ButtonLink to="/kb/new" variant="primary">
              {t('kb.list.new')}
            </ButtonLink>
          </>
        )
      }
      toolbar={
        <>
          <SearchField value={q} onChange={setQ} placeholder={t('kb.list.search')} />
          <SelectField
            label={t('kb.field.kind')}
            value={kind}
            onChange={(e) => setKind(e.target.value as ArticleKind | '')}
          >
            <option value="">{t('kb.list.anyKind')}</option>
            {ArticleKind.options.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </SelectField>
          {author && (
            <>
              <CheckboxField
                label={t('kb.list.working')}
                checked={working}
                onChange={(e) => setWorking(e.target.checked)}
              />
              <CheckboxField
                label={t('kb.list.flaggedMine')}
                checked={flagged}
                onChange={(e) => setFlagged(e.target.checked)}
              />
            </>
          )}
        </>
      }
    >
      <WaitingForMe />
      <ListTable
        query={list}
        label={t('kb.list.articles')}
        noun={t('kb.list.noun')}
        empty={search ? t('kb.list.noMatch') : t('kb.list.empty')}
        rowKey={(a) => a.id}
        columns={[
          {
            header: t('kb.col.article'),
            className: 'cell-strong',
            cell: (a) => <Link to={articlePath(a.id)}>{a.key}</Link>,
          },
          {
            header: t('kb.col.title'),
            className: 'cell-title',
            cell: (a) => (a.flagged ? `${a.title} · ${t('kb.flag.short')}` : a.title),
          },
          { header: t('kb.field.kind'), cell: (a) => kindLabel(a.kind) },
          { header: t('kb.col.status'), cell: (a) => statusLabel(a.status) },
          { header: t('kb.field.category'), wide: true, cell: (a) => a.category },
          { header: t('kb.field.tags'), wide: true, cell: (a) => a.tags.join(', ') },
        ]}
      />
    </ListPage>
  );
}
