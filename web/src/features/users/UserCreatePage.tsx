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
import { useT } from '../../i18n';

/** The "new user" form; the server's per-field messages are shown beside the fields. */
export function UserCreatePage() {
  const t = useT();
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
                  ? t('users.createdInvited', { name: user.name, email: user.email })
                  : t('users.created', { name: user.name }),
            },
          }),
      },
    );
  };

  return (
    <>
      <PageHeader title={t('users.new')} back={{ to: '/users', label: t('users.title') }} />
      <Panel>
        <form className="form" onSubmit={onSubmit} noValidate aria-label={t('users.new')}>
          <FormError error={create.error} title={t('users.notCreated')} />
          <div className="form-row">
            <TextField
              label={t('common.name')}
              autoComplete="off"
              required
              {...bind('name', name, setName)}
            />
            <TextField
              label={t('common.email')}
              type="email"
              autoComplete="off"
              required
              {...bind('email', email, setEmail)}
            />
          </div>
          <div className="form-row">
            <SelectField label={t('common.role')} {...bind('role', role, setRole)}>
              <RoleOptions />
            </SelectField>
            <TextField
              label={t('users.initialPassword')}
              type="password"
              autoComplete="new-password"
              hint={t('users.initialPasswordHint')}
              {...bind('password', password, setPassword)}
            />
          </div>
          <TeamChecklist value={teamIds} onChange={setTeamIds} error={fieldErrorsOf(create.error).teamIds} />
          <FormActions submit={t('users.create')} busy={create.isPending} cancelTo="/users" />
        </form>
      </Panel>
    </>
  );
}
