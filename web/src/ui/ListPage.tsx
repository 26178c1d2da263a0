import type { ReactNode } from 'react';
import { Button } from './Button';
import { Empty, ErrorAlert, Loading } from './Feedback';
import { Notice, PageHeader, Panel } from './Page';
import { useT } from '../i18n/useT';

/** One column of a ListTable. */
export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Hidden on narrow screens (secondary information). */
  wide?: boolean;
  /** Shown on narrow screens only (what a phone must show even when a wide screen's layout left it out). */
  narrowOnly?: boolean;
  /** Extra class of the cells (`cell-strong`, `cell-when`, ...). */
  className?: string;
}

/** The part of a TanStack infinite query over cursor pages a list needs. */
export interface ListQuery<T> {
  data?: { pages: { items: T[] }[] } | undefined;
  isPending: boolean;
  isError: boolean;
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * A cursor-paged table: loading, error and empty states, the rows, and "Load more". Every list of the app
 * shows these states the same way.
 */
export function ListTable<T>({
  query,
  rows,
  label,
  noun,
  empty,
  columns,
  rowKey,
  rowClassName,
}: {
  query: ListQuery<T>;
  /** The rows to show; by default every row of the pages loaded so far. */
  rows?: readonly T[];
  /** Accessible name of the table (tests and screen readers find it by this). */
  label: string;
  /** Plural noun for the error title ("users"). */
  noun: string;
  empty: ReactNode;
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  rowClassName?: (row: T) => string | undefined;
}) {
  const t = useT();
  const shown = rows ?? query.data?.pages.flatMap((p) => p.items) ?? [];
  const fit = (c: Column<T>) =>
    c.wide === true ? 'hide-narrow' : c.narrowOnly === true ? 'show-narrow' : '';
  const cls = (c: Column<T>) => [fit(c), c.className ?? ''].join(' ').trim();
  return (
    <>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <div className="panel-body">
          <ErrorAlert error={query.error} title={t('common.loadFailed', { noun })} />
        </div>
      ) : shown.length === 0 ? (
        <Empty>{empty}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={label}>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th key={i} scope="col" className={fit(c) || undefined}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={rowKey(row)} className={rowClassName?.(row)}>
                  {columns.map((c, i) => (
                    <td key={i} className={cls(c) || undefined}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <div className="table-footer">
          <Button busy={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </>
  );
}

/** A list page: header with actions, the one-off notice, and a panel with a search toolbar above the table. */
export function ListPage({
  title,
  description,
  actions,
  toolbar,
  children,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** Filter controls, shown in a `role=search` toolbar. */
  toolbar?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      <Notice />
      <Panel padded={false}>
        {toolbar !== undefined && (
          <div className="toolbar" role="search">
            {toolbar}
          </div>
        )}
        {children}
      </Panel>
    </>
  );
}
