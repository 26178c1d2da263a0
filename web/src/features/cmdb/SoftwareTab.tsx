import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Ci } from '@contracts';
import { api, type Page } from '../../api/client';
import { ListTable, SearchField, useDebounced, type Column } from '../../ui';
import { useT } from '../../i18n';
import { CiStatusBadge } from './parts';

/** A computer's software installations, a keyset page at a time from the server, searched by name. */
function useSoftware(id: string, q: string) {
  return useInfiniteQuery({
    queryKey: ['cis', 'software', id, q],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Ci>>(`/api/v1/cis/${id}/software`, { q, cursor: pageParam, limit: 50 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
}

/** The Software tab of a computer's page. */
export function SoftwareTab({ ciId }: { ciId: string }) {
  const t = useT();
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim());
  const list = useSoftware(ciId, search);
  const columns: Column<Ci>[] = [
    {
      header: t('cmdb.sw.installation'),
      className: 'cell-title',
      cell: (c) => <Link to={`/inventory/${c.id}`}>{c.name}</Link>,
    },
    {
      header: t('cmdb.sw.version'),
      cell: (c) => (typeof c.custom.version === 'string' ? c.custom.version : '—'),
    },
    { header: t('common.status'), cell: (c) => <CiStatusBadge status={c.status} /> },
  ];
  return (
    <section className="stack" aria-label={t('cmdb.software')}>
      <div className="toolbar">
        <SearchField value={q} onChange={setQ} placeholder={t('cmdb.sw.search')} />
      </div>
      <ListTable
        query={list}
        columns={columns}
        rowKey={(c) => c.id}
        empty={search ? t('cmdb.sw.noMatch') : t('cmdb.sw.none')}
        label={t('cmdb.sw.label')}
        noun={t('cmdb.sw.noun')}
      />
    </section>
  );
}
