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

/** Editing one user: profile (name, role, active, teams) and a password reset, each saved under the ETag. */
export function UserEditPage() {
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
        <PageHeader title="User" back={{ to: '/users', label: 'Users' }} />
        <ErrorAlert
          error={user.error}
          title={
            isApiError(user.error, 'not_found') ? 'This user does not exist' : 'The user could not be loaded'
          }
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
        back={{ to: '/users', label: 'Users' }}
        description={
          <span className="meta">
            <span>{data.email}</span>
            <span>Created {formatDateTime(data.createdAt)}</span>
            <span>Updated {formatDateTime(data.updatedAt)}</span>
            {data.active ? <Badge tone="success">Active</Badge> : <Badge tone="danger">Deactivated</Badge>}
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
          onSaved={() => setNotice('Changes saved.')}
        />
        <PasswordForm
          user={data}
          etag={tag}
          self={data.id === me.id}
          onReload={() => void user.refetch()}
          onSaved={() => setNotice('The password was changed.')}
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
    <Panel title="Profile">
      <form className="form" onSubmit={onSubmit} noValidate aria-label="Profile">
        {isApiError(update.error, 'stale') ? (
          <StaleAlert what="user" onReload={onReload} />
        ) : (
          Object.keys(fieldErrors).length === 0 && <ErrorAlert error={update.error} title="Not saved" />
        )}
        <div className="form-row">
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldErrors.name}
            required
          />
          <SelectField
            label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            error={fieldErrors.role}
          >
            <RoleOptions />
          </SelectField>
        </div>
        <CheckboxField
          label="Active"
          hint="Deactivated users cannot sign in, and their API tokens stop working."
          checked={active}
          onChange={(e) => setActive(e.target.checked)}
        />
        <TeamChecklist value={teamIds} onChange={setTeamIds} error={fieldErrors.teamIds} />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={update.isPending} disabled={!dirty}>
            Save changes
          </Button>
        </div>
      </form>
    </Panel>
  );
}
