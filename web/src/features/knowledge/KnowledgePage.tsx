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
import { KIND_LABEL, STATUS_LABEL } from './labels';

/** The policies waiting for the caller's acknowledgement, as links. */
function WaitingForMe() {
  const mine = useMyAcknowledgements();
  const items = mine.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Alert tone="warning" title="Policies to acknowledge">
      <ul aria-label="Policies to acknowledge">
        {items.map((p) => (
          <li key={p.id}>
            <Link to={articlePath(p.id)}>
              {p.key} {p.title}
            </Link>
            {p.dueOn ? ` (by ${p.dueOn})` : ''}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** The knowledge base: published articles for the caller, searched; authors also see every draft. */
export function KnowledgePage() {
  const me = useCurrentUser();
  const author = me.role !== 'requester';
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<ArticleKind | ''>('');
  const [working, setWorking] = useState(false);
  const search = useDebounced(q, 250);
  const list = useArticles({ q: search, kind, working: author && working });
  return (
    <ListPage
      title="Knowledge"
      description="How-tos, known errors, policies, procedures and runbooks. What you read here is the approved, published version."
      actions={
        author && (
          <ButtonLink to="/kb/new" variant="primary">
            New article
          </ButtonLink>
        )
      }
      toolbar={
        <>
          <SearchField value={q} onChange={setQ} placeholder="Search articles" />
          <SelectField
            label="Kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as ArticleKind | '')}
          >
            <option value="">Any kind</option>
            {ArticleKind.options.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </SelectField>
          {author && (
            <CheckboxField
              label="Drafts and reviews too"
              checked={working}
              onChange={(e) => setWorking(e.target.checked)}
            />
          )}
        </>
      }
    >
      <WaitingForMe />
      <ListTable
        query={list}
        label="Articles"
        noun="articles"
        empty={search ? 'No article matches.' : 'No article yet.'}
        rowKey={(a) => a.id}
        columns={[
          {
            header: 'Article',
            className: 'cell-strong',
            cell: (a) => <Link to={articlePath(a.id)}>{a.key}</Link>,
          },
          { header: 'Title', className: 'cell-title', cell: (a) => a.title },
          { header: 'Kind', cell: (a) => KIND_LABEL[a.kind] },
          { header: 'Status', cell: (a) => STATUS_LABEL[a.status] },
          { header: 'Category', wide: true, cell: (a) => a.category },
          { header: 'Tags', wide: true, cell: (a) => a.tags.join(', ') },
        ]}
      />
    </ListPage>
  );
}
