import { useState } from 'react';
import { Alert, ErrorAlert, Loading, PageHeader } from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useUser } from './api';
import { PasswordForm } from './PasswordForm';

/** The signed-in user's own account: who they are, and changing their password. */
export function AccountPage() {
  const me = useCurrentUser();
  const user = useUser(me.id);
  const [notice, setNotice] = useState<string | null>(null);
  if (user.isPending) return <Loading />;
  if (user.isError) return <ErrorAlert error={user.error} title="Your account could not be loaded" />;
  const { data, etag } = user.data;
  return (
    <>
      <PageHeader title="My account" description={`${data.name} · ${data.email}`} />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        <PasswordForm
          key={data.version}
          user={data}
          etag={etag ?? `"v${data.version}"`}
          self
          onReload={() => void user.refetch()}
          onSaved={() => setNotice('Your password was changed. Your other sessions have ended.')}
        />
      </div>
    </>
  );
}
