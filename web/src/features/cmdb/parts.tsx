// Small pieces the inventory's pages share: the lifecycle pill, class names, links to items.
import { Link } from 'react-router-dom';
import type { CiStatus } from '@contracts';
import { ApiError, errorMessage } from '../../api/client';
import { Alert, Badge } from '../../ui';
import { useCiName, useClasses } from './api';
import { useT } from '../../i18n';
import { statusLabel, statusTone } from './labels';

/** An item's lifecycle state as a pill. */
export function CiStatusBadge({ status }: { status: CiStatus }) {
  const t = useT();
  return <Badge tone={statusTone(status)}>{statusLabel(t, status)}</Badge>;
}

/** A class's display name by key (the key itself until the classes have loaded). */
export function ClassName({ classKey }: { classKey: string }) {
  const classes = useClasses();
  return <>{classes.data?.find((c) => c.key === classKey)?.name ?? classKey}</>;
}

/** The address of an item's page. */
export const itemPath = (id: string) => `/inventory/${encodeURIComponent(id)}`;

/** A link to an item by id, showing its name (loaded and cached), or `fallback` for none. */
export function ItemLink({ id, fallback = '—' }: { id: string | null; fallback?: string }) {
  const t = useT();
  const name = useCiName(id);
  if (id === null) return <>{fallback}</>;
  return <Link to={itemPath(id)}>{name.data ?? (name.isError ? t('cmdb.unknownItem') : '…')}</Link>;
}

/** A failed request with every message the server gave (its detail and each field's message). */
export function ProblemAlert({ error, title }: { error: unknown; title: string }) {
  if (error === null || error === undefined) return null;
  const details = error instanceof ApiError ? error.errors : [];
  return (
    <Alert tone="error" title={title}>
      {errorMessage(error)}
      {details.length > 0 && (
        <ul className="problem-list">
          {details.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
