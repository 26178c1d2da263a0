import { useState } from 'react';
import { Alert, ErrorAlert, Loading, PageHeader } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useUser } from './api';
import { LanguageForm } from './LanguageForm';
import { PasswordForm } from './PasswordForm';
import { useT } from '../../i18n';

/** The signed-in user's own account: who they are, their language, and changing their password. */
export function AccountPage() {
  const t = useT();
  const me = useCurrentUser();
  const user = useUser(me.id);
  const [notice, setNotice] = useState<string | null>(null);
  if (user.isPending) return <Loading />;
  if (user.isError) return <ErrorAlert error={user.error} title={t('account.loadFailed')} />;
  const { data, etag } = user.data;
  return (
    <>
      <PageHeader title={t('account.title')} description={`${data.name} · ${data.email}`} />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        <LanguageForm
          key={`language-${data.version}`}
          user={data}
          etag={etag ?? `"v${data.version}"`}
          onReload={() => void user.refetch()}
        />
        <PasswordForm
          key={data.version}
          user={data}
          etag={etag ?? `"v${data.version}"`}
          self
          onReload={() => void user.refetch()}
          onSaved={() => setNotice(t('account.passwordChanged'))}
        />
      </div>
    </>
  );
}
