import { useState } from 'react';
import { isApiError } from '../../api/client';
import { Alert, Button, ErrorAlert, FormError, Loading, PageHeader, Panel, StaleAlert } from '../../ui';
import { usePriorityMatrix } from './api';
import { useT } from '../../i18n';

const LEVELS = [1, 2, 3, 4, 5] as const;

/** The priority matrix: the priority each urgency (rows) and impact (columns) give. */
export function PrioritySection() {
  const t = useT();
  const { value, save } = usePriorityMatrix();
  const [draft, setDraft] = useState<number[][] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (value.isPending) return <Loading />;
  if (value.isError) return <ErrorAlert error={value.error} title={t('priority.loadFailed')} />;
  const { data, etag } = value.data;
  const matrix = draft ?? data.matrix;
  const set = (u: number, i: number, p: number) => {
    setNotice(null);
    setDraft(matrix.map((row, r) => (r === u ? row.map((v, c) => (c === i ? p : v)) : row)));
  };
  const stale = isApiError(save.error, 'stale');
  return (
    <>
      <PageHeader title={t('settings.section.priorities')} description={t('priority.description')} />
      <Panel title={t('priority.panel')}>
        <div className="stack">
          {notice !== null && <Alert tone="success">{notice}</Alert>}
          {stale ? (
            <StaleAlert
              what={t('what.matrix')}
              onReload={() => {
                save.reset();
                setDraft(null);
                void value.refetch();
              }}
            />
          ) : (
            <FormError error={save.error} title={t('users.notSaved')} />
          )}
          <div className="table-wrap">
            <table className="table matrix-table" aria-label={t('settings.section.priorities')}>
              <thead>
                <tr>
                  <th scope="col">{t('priority.axes')}</th>
                  {LEVELS.map((i) => (
                    <th key={i} scope="col">
                      {t(`priority.level${i}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {LEVELS.map((u) => (
                  <tr key={u}>
                    <th scope="row">{t(`priority.level${u}`)}</th>
                    {LEVELS.map((i) => (
                      <td key={i}>
                        <select
                          className="select"
                          aria-label={t('priority.cell', { urgency: u, impact: i })}
                          value={matrix[u - 1]?.[i - 1] ?? 3}
                          onChange={(e) => set(u - 1, i - 1, Number(e.target.value))}
                        >
                          {LEVELS.map((p) => (
                            <option key={p} value={p}>
                              {p} {t(`priority.name${p}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="form-actions">
            <Button
              variant="primary"
              busy={save.isPending}
              disabled={draft === null}
              onClick={() =>
                save.mutate(
                  { body: { matrix }, etag: etag ?? '"v0"' },
                  {
                    onSuccess: () => {
                      setDraft(null);
                      setNotice(t('priority.saved'));
                    },
                  },
                )
              }
            >
              {t('priority.save')}
            </Button>
            {draft !== null && (
              <Button variant="ghost" onClick={() => setDraft(null)}>
                {t('priority.undo')}
              </Button>
            )}
          </div>
          <p className="muted">{t('priority.major')}</p>
        </div>
      </Panel>
    </>
  );
}
