import { useState, type FormEvent, type ReactNode } from 'react';
import { Button, CheckboxField, FormError, TextAreaField, TextField, binder, fieldErrorsOf } from '../../ui';
import { MemberPicker, type Member } from './MemberPicker';
import { useT } from '../../i18n';

/** What the team form edits. */
export interface TeamDraft {
  name: string;
  description: string;
  members: Member[];
  /** A security team: its members (and admins) alone see security incidents. */
  security: boolean;
}

/** The fields of a team, shared by "new team" and "edit team"; the server's field messages appear beside them. */
export function TeamForm({
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  extraActions,
  errorTitle,
}: {
  initial: TeamDraft;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  onSubmit: (draft: TeamDraft) => void;
  extraActions?: ReactNode;
  errorTitle: string;
}) {
  const t = useT();
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [members, setMembers] = useState<Member[]>(initial.members);
  const [security, setSecurity] = useState(initial.security);
  const bind = binder(error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ name, description, members, security });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('teams.team')}>
      <FormError error={error} title={errorTitle} />
      <TextField label={t('common.name')} required {...bind('name', name, setName)} />
      <TextAreaField
        label={t('teams.descriptionColumn')}
        {...bind('description', description, setDescription)}
      />
      <MemberPicker value={members} onChange={setMembers} error={fieldErrorsOf(error).memberIds} />
      <CheckboxField
        label={t('teams.securityTeam')}
        hint={t('teams.securityHint')}
        checked={security}
        onChange={(e) => setSecurity(e.target.checked)}
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
        {extraActions}
      </div>
    </form>
  );
}
