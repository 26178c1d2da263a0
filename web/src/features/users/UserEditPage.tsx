import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router-dom';
import type { Role, UpdateUser } from '@contracts';
import { ApiError, isApiError } from '../../api/client';
import {
  Alert,
  Badge,
  Button,
  CheckboxField,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  StaleAlert,
  formatDateTime,
} from '../../ui';
import { useCurrentUser } from '../auth/session';
import { useUpdateUser, useUser } from './api';
import { PasswordForm, type FormProps } from './PasswordForm';
import { RoleOptions } from './RoleOptions';
import { TeamChecklist } from './TeamChecklist';
import { useT } from '../../i18n';

/** Editing one user: profile (name, role, active, teams) and a password reset, each saved under the ETag. */
export function UserEditPage() {
  const t = useT();
  const { id = '' } = useParams();
  const user = useUser(id);
  // owned here, not by the form: the form remounts when a save brings a new version, the mutation must not
  const profileUpdate = useUpdateUser(id);
  const me = useCurrentUser();
  const [notice, setNotice] = useState<string | null>(null);
  if (user.isPending) return <Loading />;
  if (user.isError) {
    return (
      <>
        <PageHeader title={t('users.user')} back={{ to: '/users', label: t('users.title') }} />
        <ErrorAlert
          error={user.error}
          title={isApiError(user.error, 'not_found') ? t('users.notFound') : t('users.loadFailed')}
        />
      </>
    );
  }
  const { data, etag } = user.data;
  const tag = etag ?? `"v${data.version}"`;
  return (
    <>
      <PageHeader
        title={data.name}
        back={{ to: '/users', label: t('users.title') }}
        description={
          <span className="meta">
            <span>{data.email}</span>
            <span>{t('users.createdAt', { when: formatDateTime(data.createdAt) })}</span>
            <span>{t('users.updatedAt', { when: formatDateTime(data.updatedAt) })}</span>
            {data.active ? (
              <Badge tone="success">{t('common.active')}</Badge>
            ) : (
              <Badge tone="danger">{t('users.deactivated')}</Badge>
            )}
          </span>
        }
      />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        {/* keyed by version: a newer stored state resets the form */}
        <ProfileForm
          key={data.version}
          update={profileUpdate}
          user={data}
          etag={tag}
          onReload={() => {
            profileUpdate.reset();
            void user.refetch();
          }}
          onSaved={() => setNotice(t('users.changesSaved'))}
        />
        <PasswordForm
          user={data}
          etag={tag}
          self={data.id === me.id}
          onReload={() => void user.refetch()}
          onSaved={() => setNotice(t('users.passwordChanged'))}
        />
      </div>
    </>
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function ProfileForm({
  update,
  user,
  etag,
  onReload,
  onSaved,
}: FormProps & { update: ReturnType<typeof useUpdateUser> }) {
  const t = useT();
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const [active, setActive] = useState(user.active);
  const [teamIds, setTeamIds] = useState<string[]>(user.teamIds);

  const patch: UpdateUser = {
    ...(name !== user.name ? { name } : {}),
    ...(role !== user.role ? { role } : {}),
    ...(active !== user.active ? { active } : {}),
    ...(sameSet(teamIds, user.teamIds) ? {} : { teamIds }),
  };
  const dirty = Object.keys(patch).length > 0;
  const fieldErrors = update.error instanceof ApiError ? update.error.fieldErrors() : {};

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ patch, etag }, { onSuccess: onSaved });
  };

  return (
    <Panel title={t('users.profile')}>
      <form className="form" onSubmit={onSubmit} noValidate aria-label={t('users.profile')}>
        {isApiError(update.error, 'stale') ? (
          <StaleAlert what={t('what.user')} onReload={onReload} />
        ) : (
          Object.keys(fieldErrors).length === 0 && (
            <ErrorAlert error={update.error} title={t('users.notSaved')} />
          )
        )}
        <div className="form-row">
          <TextField
            label={t('common.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldErrors.name}
            required
          />
          <SelectField
            label={t('common.role')}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            error={fieldErrors.role}
          >
            <RoleOptions />
          </SelectField>
        </div>
        <CheckboxField
          label={t('common.active')}
          hint={t('users.activeHint')}
          checked={active}
          onChange={(e) => setActive(e.target.checked)}
        />
        <TeamChecklist value={teamIds} onChange={setTeamIds} error={fieldErrors.teamIds} />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={update.isPending} disabled={!dirty}>
            {t('users.saveChanges')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
