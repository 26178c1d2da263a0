import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { Alert, Button, ErrorAlert, TextAreaField, TextField } from '../../ui';
import { MemberPicker, type Member } from './MemberPicker';

/** What the team form edits. */
export interface TeamDraft {
  name: string;
  description: string;
  members: Member[];
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
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [members, setMembers] = useState<Member[]>(initial.members);
  const fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ name, description, members });
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Team">
      {hasFieldErrors ? (
        <Alert tone="error" title={errorTitle}>
          Correct the fields marked below.
        </Alert>
      ) : (
        error !== null && <ErrorAlert error={error} title={errorTitle} />
      )}
      <TextField
        label="Name"
        required
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldErrors.name}
      />
      <TextAreaField
        label="Description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={fieldErrors.description}
      />
      <MemberPicker value={members} onChange={setMembers} error={fieldErrors.memberIds} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
        {extraActions}
      </div>
    </form>
  );
}
