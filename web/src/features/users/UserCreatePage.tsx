import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Role } from '@contracts';
import {
  FormActions,
  FormError,
  PageHeader,
  fieldErrorsOf,
  Panel,
  SelectField,
  TextField,
  binder,
} from '../../ui';
import { useCreateUser } from './api';
import { RoleOptions } from './RoleOptions';
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
  const bind = binder(create.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { email, name, role, teamIds, ...(password === '' ? {} : { password }) },
      {
        onSuccess: (user) =>
          void navigate('/users', {
            state: {
              notice:
                password === ''
                  ? `${user.name} was created. If e-mail is set up, an invitation to set a password is on its way to ${user.email}.`
                  : `${user.name} was created.`,
            },
          }),
      },
    );
  };

  return (
    <>
      <PageHeader title="New user" back={{ to: '/users', label: 'Users' }} />
      <Panel>
        <form className="form" onSubmit={onSubmit} noValidate aria-label="New user">
          <FormError error={create.error} title="The user was not created" />
          <div className="form-row">
            <TextField label="Name" autoComplete="off" required {...bind('name', name, setName)} />
            <TextField
              label="E-mail"
              type="email"
              autoComplete="off"
              required
              {...bind('email', email, setEmail)}
            />
          </div>
          <div className="form-row">
            <SelectField label="Role" {...bind('role', role, setRole)}>
              <RoleOptions />
            </SelectField>
            <TextField
              label="Initial password"
              type="password"
              autoComplete="new-password"
              hint="Optional, at least 12 characters. Left empty, the user is e-mailed a link to set their own."
              {...bind('password', password, setPassword)}
            />
          </div>
          <TeamChecklist value={teamIds} onChange={setTeamIds} error={fieldErrorsOf(create.error).teamIds} />
          <FormActions submit="Create user" busy={create.isPending} cancelTo="/users" />
        </form>
      </Panel>
    </>
  );
}
