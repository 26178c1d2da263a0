import { type FormEvent, useState } from 'react';
import type { Macro, MacroChanges, TicketStatus } from '@contracts';
import {
  Button,
  CheckboxField,
  ConfirmButton,
  Empty,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  PRIORITIES_BY_URGENCY,
  SelectField,
  TextAreaField,
  TextField,
  priorityLabel,
  useFieldErrors,
} from '../../ui';
import { useCurrentUser } from '../auth/session';
import { STATUS_LABEL } from './labels';
import { useCreateMacro, useDeleteMacro, useMacros, useUpdateMacro } from './macros';
import { TeamName, TeamOptions } from './parts';
import './macros.css';

/** What the form edits: the reply, where the macro is shared, and the three changes most macros make. */
interface Draft {
  name: string;
  body: string;
  internal: boolean;
  /** '' for a personal macro, else the team it is shared with (fixed once made). */
  sharedWith: string;
  status: TicketStatus | '';
  team: string;
  priority: string;
}

const EMPTY: Draft = {
  name: '',
  body: '',
  internal: false,
  sharedWith: '',
  status: '',
  team: '',
  priority: '',
};

function draftOf(m: Macro): Draft {
  return {
    name: m.name,
    body: m.body,
    internal: m.internal,
    sharedWith: m.teamId ?? '',
    status: m.changes.status ?? '',
    team: m.changes.teamId ?? '',
    priority:
      m.changes.priorityOverride === null || m.changes.priorityOverride === undefined
        ? ''
        : String(m.changes.priorityOverride),
  };
}

/** The macro's changes: those the form edits over the ones it keeps as they were (assignee, category...). */
export function changesOf(d: Draft, kept: MacroChanges = {}): MacroChanges {
  const { status: _s, teamId: _t, priorityOverride: _p, ...rest } = kept;
  return {
    ...rest,
    ...(d.status ? { status: d.status } : {}),
    ...(d.team ? { teamId: d.team } : {}),
    ...(d.priority ? { priorityOverride: Number(d.priority) } : {}),
  };
}

/** One line saying what a macro changes ("Status: Resolved · Team: Network"), or that it only replies. */
function ChangesText({ changes }: { changes: MacroChanges }) {
  const parts = [
    changes.status && `Status: ${STATUS_LABEL[changes.status]}`,
    changes.priorityOverride !== null &&
      changes.priorityOverride !== undefined &&
      `Priority: ${priorityLabel(changes.priorityOverride)}`,
  ].filter(Boolean);
  if (parts.length === 0 && !changes.teamId) return <span className="muted">Reply only</span>;
  return (
    <span className="muted">
      {parts.join(' · ')}
      {changes.teamId && (
        <>
          {parts.length > 0 && ' · '}Team: <TeamName id={changes.teamId} />
        </>
      )}
    </span>
  );
}

/** The form for a new macro or for changing one. */
function MacroForm({ macro, onDone }: { macro?: Macro; onDone: () => void }) {
  const user = useCurrentUser();
  const [d, setD] = useState<Draft>(macro ? draftOf(macro) : EMPTY);
  const create = useCreateMacro();
  const update = useUpdateMacro();
  const error = macro ? update.error : create.error;
  const { bind, summary } = useFieldErrors(error);
  const set =
    <K extends keyof Draft>(k: K) =>
    (v: Draft[K]) =>
      setD((x) => ({ ...x, [k]: v }));
  const mayShare = user.role === 'manager' || user.role === 'admin';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const common = { name: d.name, body: d.body, internal: d.internal };
    if (macro)
      update.mutate(
        { macro, body: { ...common, changes: changesOf(d, macro.changes) } },
        { onSuccess: onDone },
      );
    else
      create.mutate(
        { ...common, changes: changesOf(d), teamId: d.sharedWith === '' ? null : d.sharedWith },
        { onSuccess: onDone },
      );
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={macro ? `Change ${macro.name}` : 'New macro'}>
      <FormError error={summary} title={macro ? 'The macro was not saved' : 'The macro was not created'} />
      <TextField label="Name" required maxLength={100} {...bind('name', d.name, set('name'))} />
      {!macro && mayShare && (
        <SelectField label="Shared with" {...bind('teamId', d.sharedWith, set('sharedWith'))}>
          <option value="">Only me</option>
          <TeamOptions />
        </SelectField>
      )}
      <TextAreaField
        label="Reply"
        rows={5}
        hint="Posted on the ticket when the macro is applied; leave empty for a macro that only changes fields."
        {...bind('body', d.body, set('body'))}
      />
      <CheckboxField
        label="Post as an internal note"
        checked={d.internal}
        onChange={(e) => set('internal')(e.target.checked)}
      />
      <div className="inline-form">
        <SelectField
          label="Set status"
          value={d.status}
          onChange={(e) => set('status')(e.target.value as TicketStatus | '')}
        >
          <option value="">Leave as it is</option>
          {(Object.keys(STATUS_LABEL) as TicketStatus[]).map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Set team" value={d.team} onChange={(e) => set('team')(e.target.value)}>
          <option value="">Leave as it is</option>
          <TeamOptions />
        </SelectField>
        <SelectField
          label="Set priority"
          value={d.priority}
          onChange={(e) => set('priority')(e.target.value)}
        >
          <option value="">Leave as it is</option>
          {PRIORITIES_BY_URGENCY.map((p) => (
            <option key={p} value={p}>
              {priorityLabel(p)}
            </option>
          ))}
        </SelectField>
      </div>
      <FormActions submit={macro ? 'Save macro' : 'Create macro'} busy={create.isPending || update.isPending}>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </FormActions>
    </form>
  );
}

/**
 * Macros and canned replies, in the agent area: the signed-in agent's personal ones and their teams' (which
 * managers and admins create, change and delete), each with its reply and the changes it makes.
 */
export function MacrosPage() {
  const macros = useMacros();
  const remove = useDeleteMacro();
  const user = useCurrentUser();
  const [editing, setEditing] = useState<string | null>(null);
  const mayChange = (m: Macro) => m.scope === 'personal' || user.role === 'manager' || user.role === 'admin';
  const header = (
    <PageHeader
      title="Macros"
      back={{ to: '/tickets', label: 'Queue' }}
      description="Canned replies and one-click changes, yours and your teams'. Apply them from a ticket."
      actions={
        editing !== 'new' && (
          <Button variant="primary" onClick={() => setEditing('new')}>
            New macro
          </Button>
        )
      }
    />
  );
  if (macros.isPending) return <Loading />;
  if (macros.isError) {
    return (
      <>
        {header}
        <ErrorAlert error={macros.error} title="The macros could not be loaded" />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="stack">
        {editing === 'new' && (
          <Panel title="New macro">
            <MacroForm onDone={() => setEditing(null)} />
          </Panel>
        )}
        <ErrorAlert error={remove.error} title="The macro was not deleted" />
        <Panel title="Your macros" padded={false}>
          {macros.data.length === 0 ? (
            <Empty>No macros yet. A macro posts a reply and changes fields in one click.</Empty>
          ) : (
            <ul className="macro-list" aria-label="Macros">
              {macros.data.map((m) => (
                <li key={m.id} className="macro-item" aria-label={m.name}>
                  {editing === m.id ? (
                    <MacroForm macro={m} onDone={() => setEditing(null)} />
                  ) : (
                    <>
                      <div className="macro-head">
                        <strong>{m.name}</strong>
                        <span className="muted">
                          {m.scope === 'team' ? `Team: ${m.teamName ?? 'a team'}` : 'Personal'}
                          {m.internal ? ' · internal note' : ''}
                        </span>
                      </div>
                      {m.body !== '' && <p className="macro-body">{m.body}</p>}
                      <ChangesText changes={m.changes} />
                      {mayChange(m) && (
                        <div className="form-actions">
                          <Button size="sm" onClick={() => setEditing(m.id)}>
                            Edit
                          </Button>
                          <ConfirmButton
                            confirmLabel={`Confirm: delete ${m.name}`}
                            busy={remove.isPending && remove.variables === m.id}
                            onConfirm={() => remove.mutate(m.id)}
                          >
                            Delete
                          </ConfirmButton>
                        </div>
                      )}
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </>
  );
}
