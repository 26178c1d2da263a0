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
  priorityName,
  useFieldErrors,
} from '../../ui';
import { Msg, useT } from '../../i18n';
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
  const t = useT();
  const parts = [
    changes.status && t('macros.setsStatus', { status: t(STATUS_LABEL[changes.status]) }),
    changes.priorityOverride !== null &&
      changes.priorityOverride !== undefined &&
      t('macros.setsPriority', { priority: priorityName(t, changes.priorityOverride) }),
  ].filter(Boolean);
  if (parts.length === 0 && !changes.teamId) return <span className="muted">{t('macros.replyOnly')}</span>;
  return (
    <span className="muted">
      {parts.join(' · ')}
      {changes.teamId && (
        <>
          {parts.length > 0 && ' · '}
          <Msg id="macros.setsTeam" values={{ team: <TeamName id={changes.teamId} /> }} />
        </>
      )}
    </span>
  );
}

/** The form for a new macro or for changing one. */
function MacroForm({ macro, onDone }: { macro?: Macro; onDone: () => void }) {
  const t = useT();
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
    <form
      className="stack"
      onSubmit={submit}
      aria-label={macro ? t('macros.change', { name: macro.name }) : t('macros.new')}
    >
      <FormError error={summary} title={macro ? t('macros.notSaved') : t('macros.notCreated')} />
      <TextField label={t('common.name')} required maxLength={100} {...bind('name', d.name, set('name'))} />
      {!macro && mayShare && (
        <SelectField label={t('macros.sharedWith')} {...bind('teamId', d.sharedWith, set('sharedWith'))}>
          <option value="">{t('macros.onlyMe')}</option>
          <TeamOptions />
        </SelectField>
      )}
      <TextAreaField
        label={t('macros.reply')}
        rows={5}
        hint={t('macros.replyHint')}
        {...bind('body', d.body, set('body'))}
      />
      <CheckboxField
        label={t('macros.asNote')}
        checked={d.internal}
        onChange={(e) => set('internal')(e.target.checked)}
      />
      <div className="inline-form">
        <SelectField
          label={t('macros.setStatus')}
          value={d.status}
          onChange={(e) => set('status')(e.target.value as TicketStatus | '')}
        >
          <option value="">{t('macros.leave')}</option>
          {(Object.keys(STATUS_LABEL) as TicketStatus[]).map((s) => (
            <option key={s} value={s}>
              {t(STATUS_LABEL[s])}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('macros.setTeam')} value={d.team} onChange={(e) => set('team')(e.target.value)}>
          <option value="">{t('macros.leave')}</option>
          <TeamOptions />
        </SelectField>
        <SelectField
          label={t('macros.setPriority')}
          value={d.priority}
          onChange={(e) => set('priority')(e.target.value)}
        >
          <option value="">{t('macros.leave')}</option>
          {PRIORITIES_BY_URGENCY.map((p) => (
            <option key={p} value={p}>
              {priorityName(t, p)}
            </option>
          ))}
        </SelectField>
      </div>
      <FormActions
        submit={macro ? t('macros.save') : t('macros.create')}
        busy={create.isPending || update.isPending}
      >
        <Button variant="ghost" onClick={onDone}>
          {t('common.cancel')}
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
  const t = useT();
  const macros = useMacros();
  const remove = useDeleteMacro();
  const user = useCurrentUser();
  const [editing, setEditing] = useState<string | null>(null);
  const mayChange = (m: Macro) => m.scope === 'personal' || user.role === 'manager' || user.role === 'admin';
  const header = (
    <PageHeader
      title={t('queue.macros')}
      back={{ to: '/tickets', label: t('nav.queue') }}
      description={t('macros.description')}
      actions={
        editing !== 'new' && (
          <Button variant="primary" onClick={() => setEditing('new')}>
            {t('macros.new')}
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
        <ErrorAlert error={macros.error} title={t('macros.loadFailed')} />
      </>
    );
  }
  return (
    <>
      {header}
      <div className="stack">
        {editing === 'new' && (
          <Panel title={t('macros.new')}>
            <MacroForm onDone={() => setEditing(null)} />
          </Panel>
        )}
        <ErrorAlert error={remove.error} title={t('macros.notDeleted')} />
        <Panel title={t('macros.yours')} padded={false}>
          {macros.data.length === 0 ? (
            <Empty>{t('macros.none')}</Empty>
          ) : (
            <ul className="macro-list" aria-label={t('queue.macros')}>
              {macros.data.map((m) => (
                <li key={m.id} className="macro-item" aria-label={m.name}>
                  {editing === m.id ? (
                    <MacroForm macro={m} onDone={() => setEditing(null)} />
                  ) : (
                    <>
                      <div className="macro-head">
                        <strong>{m.name}</strong>
                        <span className="muted">
                          {m.scope === 'team'
                            ? t('macros.setsTeam', { team: m.teamName ?? t('timeline.aTeam') })
                            : t('macros.personal')}
                          {m.internal ? t('macros.internalSuffix') : ''}
                        </span>
                      </div>
                      {m.body !== '' && <p className="macro-body">{m.body}</p>}
                      <ChangesText changes={m.changes} />
                      {mayChange(m) && (
                        <div className="form-actions">
                          <Button size="sm" onClick={() => setEditing(m.id)}>
                            {t('common.edit')}
                          </Button>
                          <ConfirmButton
                            confirmLabel={t('macros.confirmDelete', { name: m.name })}
                            busy={remove.isPending && remove.variables === m.id}
                            onConfirm={() => remove.mutate(m.id)}
                          >
                            {t('common.delete')}
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
