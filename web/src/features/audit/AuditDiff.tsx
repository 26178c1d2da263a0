import type { AuditEntry } from '@contracts';
import { useT } from '../../i18n';

/** A value as plain text: strings as they are, everything else as indented JSON; absent as an em dash. */
function show(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  // JSON.stringify answers undefined for functions and symbols, which audit values never are
  return JSON.stringify(v, null, 2) ?? '';
}

/** The before/after values of one audit entry, field by field; changed fields are highlighted. */
export function AuditDiff({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  if (keys.length === 0) return <p className="muted">{t('audit.noValues')}</p>;
  return (
    <div className="table-wrap">
      <table className="diff" aria-label={t('audit.changes')}>
        <thead>
          <tr>
            <th scope="col">{t('audit.field')}</th>
            <th scope="col">{t('audit.before')}</th>
            <th scope="col">{t('audit.after')}</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => {
            const b = show(before[k]);
            const a = show(after[k]);
            const changed = b !== a;
            return (
              <tr key={k} className={changed ? 'is-changed' : undefined}>
                <td>
                  {k}
                  {changed && <span className="visually-hidden"> {t('audit.changed')}</span>}
                </td>
                <td className={changed ? 'before' : undefined}>{b}</td>
                <td className={changed ? 'after' : undefined}>{a}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="meta" style={{ marginTop: 10 }}>
        <span>Entry {entry.id}</span>
        {entry.seq !== null && <span>Chain position {entry.seq}</span>}
        {entry.hash !== null && <span className="mono">Hash {entry.hash.slice(0, 16)}…</span>}
      </p>
    </div>
  );
}
