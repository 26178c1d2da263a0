import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Role } from '@contracts';
import { ApiError } from '../../api/client';
import {
  Alert,
  Button,
  ButtonLink,
  ErrorAlert,
  PageHeader,
  Panel,
  SelectField,
  TextField,
  capitalise,
} from '../../ui';
import { ROLE_OPTIONS, useCreateUser } from './api';
import { TeamChecklist } from './TeamChecklist';

/** The "new user" form; the server's per-field messages are shown beside the fields. */
export function UserCreatePage() {
  const navigate = useNavigate();
  const create = useCreateUser();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('requester');
  const [password, setPassword] = useState('');
  const [teamIds, setTeamIds] = useState<string[]>([]);

  const apiError = create.error instanceof ApiError ? create.error : null;
  const fieldErrors = apiError?.fieldErrors() ?? {};
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { email, name, role, teamIds, ...(password === '' ? {} : { password }) },
      {
        onSuccess: (user) => void navigate('/users', { state: { notice: `${user.name} was created.` } }),
      },
    );
  };

  return (
    <>
      <PageHeader title="New user" back={{ to: '/users', label: 'Users' }} />
      <Panel>
        <form className="form" onSubmit={onSubmit} noValidate aria-label="New user">
          {hasFieldErrors ? (
            <Alert tone="error" title="The user was not created">
              Correct the fields marked below.
            </Alert>
          ) : (
            <ErrorAlert error={create.error} title="The user was not created" />
          )}
          <div className="form-row">
            <TextField
              label="Name"
              name="name"
              autoComplete="off"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={fieldErrors.name}
            />
            <TextField
              label="E-mail"
              name="email"
              type="email"
              autoComplete="off"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={fieldErrors.email}
            />
          </div>
          <div className="form-row">
            <SelectField
              label="Role"
              name="role"
              value={role}
              onChange={(e) => setRole(e.target.value as Role)}
              error={fieldErrors.role}
            >
              {ROLE_OPTIONS.map((r) => (
                <option key={r} value={r}>
                  {capitalise(r)}
                </option>
              ))}
            </SelectField>
            <TextField
              label="Initial password"
              name="password"
              type="password"
              autoComplete="new-password"
              hint="Optional. At least 12 characters."
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={fieldErrors.password}
            />
          </div>
          <TeamChecklist value={teamIds} onChange={setTeamIds} error={fieldErrors.teamIds} />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={create.isPending}>
              Create user
            </Button>
            <ButtonLink to="/users" variant="ghost">
              Cancel
            </ButtonLink>
          </div>
        </form>
      </Panel>
    </>
  );
}
