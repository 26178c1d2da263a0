import { useState } from 'react';
import { isApiError } from '../../api/client';
import { Alert, Button, ErrorAlert, FormError, Loading, PageHeader, Panel, StaleAlert } from '../../ui';
import { usePriorityMatrix } from './api';

const LEVELS = [1, 2, 3, 4, 5] as const;
const LEVEL = ['1 lowest', '2 low', '3 medium', '4 high', '5 highest'];
const PRIORITY = ['', 'Very low', 'Low', 'Medium', 'High', 'Very high'];

/** The priority matrix: the priority each urgency (rows) and impact (columns) give. */
export function PrioritySection() {
  const { value, save } = usePriorityMatrix();
  const [draft, setDraft] = useState<number[][] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (value.isPending) return <Loading />;
  if (value.isError)
    return <ErrorAlert error={value.error} title="The priority matrix could not be loaded" />;
  const { data, etag } = value.data;
  const matrix = draft ?? data.matrix;
  const set = (u: number, i: number, p: number) => {
    setNotice(null);
    setDraft(matrix.map((row, r) => (r === u ? row.map((v, c) => (c === i ? p : v)) : row)));
  };
  const stale = isApiError(save.error, 'stale');
  return (
    <>
      <PageHeader
        title="Priority matrix"
        description="A new ticket’s priority follows from its urgency and impact. Existing tickets keep theirs until someone changes either."
      />
      <Panel title="Priority by urgency and impact">
        <div className="stack">
          {notice !== null && <Alert tone="success">{notice}</Alert>}
          {stale ? (
            <StaleAlert
              what="matrix"
              onReload={() => {
                save.reset();
                setDraft(null);
                void value.refetch();
              }}
            />
          ) : (
            <FormError error={save.error} title="Not saved" />
          )}
          <div className="table-wrap">
            <table className="table matrix-table" aria-label="Priority matrix">
              <thead>
                <tr>
                  <th scope="col">Urgency ↓ · Impact →</th>
                  {LEVELS.map((i) => (
                    <th key={i} scope="col">
                      {LEVEL[i - 1]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {LEVELS.map((u) => (
                  <tr key={u}>
                    <th scope="row">{LEVEL[u - 1]}</th>
                    {LEVELS.map((i) => (
                      <td key={i}>
                        <select
                          className="select"
                          aria-label={`Priority for urgency ${u} and impact ${i}`}
                          value={matrix[u - 1]?.[i - 1] ?? 3}
                          onChange={(e) => set(u - 1, i - 1, Number(e.target.value))}
                        >
                          {LEVELS.map((p) => (
                            <option key={p} value={p}>
                              {p} {PRIORITY[p]}
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
                      setNotice('The priority matrix was saved.');
                    },
                  },
                )
              }
            >
              Save matrix
            </Button>
            {draft !== null && (
              <Button variant="ghost" onClick={() => setDraft(null)}>
                Undo changes
              </Button>
            )}
          </div>
          <p className="muted">Priority 6, “major”, is only ever set by hand on a ticket.</p>
        </div>
      </Panel>
    </>
  );
}
