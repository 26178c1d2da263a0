import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Article, ArticleImage } from '@contracts';
import { api, request } from '../../api/client';
import { useT } from '../../i18n';
import { ConfirmButton, ErrorAlert } from '../../ui';

/**
 * An article's images for its authors: the Markdown to copy, and delete for those its text does not show
 * (the server refuses, naming the versions, while any kept version still shows one).
 */
export function ArticleImages({ a }: { a: Article }) {
  const t = useT();
  const qc = useQueryClient();
  const base = `/api/v1/kb/articles/${encodeURIComponent(a.id)}/images`;
  const list = useQuery({
    queryKey: ['kb', 'images', a.id],
    queryFn: ({ signal }) => api.get<{ items: ArticleImage[] }>(base, undefined, signal),
  });
  const del = useMutation({
    mutationFn: (id: string) => request('DELETE', `${base}/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['kb'] }),
  });
  const texts = [a.working, a.published].map((x) => (x ? `${x.title}\n${x.body}\n${x.workaround}` : ''));
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <>
      {del.isError && <ErrorAlert error={del.error} title={t('kb.images.notDeleted')} />}
      <ul aria-label={t('kb.images.list')}>
        {items.map((img) => (
          <li key={img.id}>
            {img.fileName} <code>{img.markdown}</code>{' '}
            {!texts.some((x) => x.includes(img.url)) && (
              <ConfirmButton
                confirmLabel={t('kb.images.confirmDelete')}
                busy={del.isPending}
                onConfirm={() => del.mutate(img.id)}
              >
                {t('kb.images.delete')}
              </ConfirmButton>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
