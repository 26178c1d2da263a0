import { useState, type FormEvent } from 'react';
import type { User } from '@contracts';
import { ApiError, isApiError } from '../../api/client';
import { Button, CheckboxField, ErrorAlert, Panel, StaleAlert, TextField } from '../../ui';
import { useUpdateUser } from './api';
import { useT } from '../../i18n';

/** What the user page's forms get. */
export interface FormProps {
  user: User;
  etag: string;
  onReload: () => void;
  onSaved: () => void;
}

/**
 * A password change under the user's ETag. For one's own password (`self`) it asks for the current one and
 * offers to revoke one's API tokens too (other sessions always end); an admin resetting someone else's
 * password needs neither.
 */
export function PasswordForm({ user, etag, self, onReload, onSaved }: FormProps & { self: boolean }) {
  const t = useT();
  const update = useUpdateUser(user.id);
  const [password, setPassword] = useState('');
  const [current, setCurrent] = useState('');
  const [revokeTokens, setRevokeTokens] = useState(false);
  const fieldErrors = update.error instanceof ApiError ? update.error.fieldErrors() : {};

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const patch = self ? { password, currentPassword: current, revokeTokens } : { password };
    update.mutate(
      { patch, etag },
      {
        onSuccess: () => {
          setPassword('');
          setCurrent('');
          onSaved();
        },
      },
    );
  };

  const title = self ? t('password.changeMine') : t('password.reset');
  return (
    <Panel title={title}>
      <form className="form" onSubmit={onSubmit} noValidate aria-label={title}>
        {isApiError(update.error, 'stale') ? (
          <StaleAlert
            what={t('what.user')}
            onReload={() => {
              update.reset();
              onReload();
            }}
          />
        ) : (
          Object.keys(fieldErrors).length === 0 && (
            <ErrorAlert error={update.error} title={t('password.notChanged')} />
          )
        )}
        {self && (
          <TextField
            label={t('password.current')}
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            error={fieldErrors.currentPassword}
          />
        )}
        <TextField
          label={t('password.new')}
          type="password"
          autoComplete="new-password"
          hint={self ? t('password.hintSelf') : t('password.hintOther')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldErrors.password}
        />
        {self && (
          <CheckboxField
            label={t('password.revokeTokens')}
            hint={t('password.revokeTokensHint')}
            checked={revokeTokens}
            onChange={(e) => setRevokeTokens(e.target.checked)}
          />
        )}
        <div className="form-actions">
          <Button
            type="submit"
            busy={update.isPending}
            disabled={password === '' || (self && current === '')}
          >
            {self ? t('password.change') : t('password.set')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
