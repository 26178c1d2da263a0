import type { AuditEntry } from '@contracts';
import { translate, useT } from '../../i18n';
import { fieldName, isId } from '../../ui';

/**
 * A value as plain text: ids by what people call them (a name, INC-42), codes as words, other strings as they are, everything
 * else as indented JSON; absent as an em dash.
 */
export function show(v: unknown, names: ReadonlyMap<string, string>): string {
  if (v === undefined) return '—';
  if (v === null) return translate('audit.none');
  if (isId(v)) return names.get(v) ?? v;
  // a stored code (`installed_on`, `in_progress`) as words
  if (typeof v === 'string') return /^[a-z]+(_[a-z]+)+$/.test(v) ? fieldName(v) : v;
  if (Array.isArray(v) && v.every(isId)) return v.map((id) => names.get(id) ?? id).join(', ');
  // JSON.stringify answers undefined for functions and symbols, which audit values never are
  return JSON.stringify(v, null, 2) ?? '';
}

/**
 * The before/after values of one audit entry, field by field under the names people know (`assignedBy` as
 * "Assigned by"); changed fields are highlighted.
 */
export function AuditDiff({ entry, names }: { entry: AuditEntry; names: ReadonlyMap<string, string> }) {
  const t = useT();
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((a, b) =>
    fieldName(a).localeCompare(fieldName(b)),
  );
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
            const b = show(before[k], names);
            const a = show(after[k], names);
            const changed = b !== a;
            return (
              <tr key={k} className={changed ? 'is-changed' : undefined}>
                <td>
                  {fieldName(k)}
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
        <span>{t('audit.entry', { id: entry.id })}</span>
        {entry.seq !== null && <span>{t('audit.chainPosition', { seq: String(entry.seq) })}</span>}
        {entry.hash !== null && (
          <span className="mono">{t('audit.hash', { hash: entry.hash.slice(0, 16) })}</span>
        )}
      </p>
    </div>
  );
}
