import { useState, type FormEvent } from 'react';
import type { RoutingTestResult, TicketType } from '@contracts';
import {
  Alert,
  Badge,
  FormActions,
  FormError,
  Panel,
  SelectField,
  TextAreaField,
  TextField,
  useFieldErrors,
} from '../../ui';
import { priorityLabel, TYPE_LABEL } from '../tickets/labels';
import { CategoryOptions } from './CategoryOptions';
import { useTestRules } from './api';
import { STRATEGY_LABEL, type Names } from './ruleWords';

const OUTCOME = {
  matched: { tone: 'success', label: 'Matches' },
  no_match: { tone: undefined, label: 'Does not match' },
  not_reached: { tone: undefined, label: 'Not reached' },
} as const;

/** Where the sample would end up, in words. */
function Result({ r, names }: { r: RoutingTestResult; names: Names }) {
  const name = (list: readonly { id: string; name: string }[], id: string | null) =>
    id === null ? null : (list.find((x) => x.id === id)?.name ?? 'someone no longer listed');
  const { result } = r;
  const team = name(names.teams, result.teamId);
  const agent = name(names.people, result.assigneeId);
  return (
    <div className="stack-sm" aria-label="Test result" role="region">
      <Alert tone="info" title="This ticket would get">
        <ul className="plain-list test-outcome">
          <li>Team: {team ?? 'none'}</li>
          <li>
            Agent:{' '}
            {agent ??
              (result.assignedBy
                ? `picked by the team: ${STRATEGY_LABEL[result.assignedBy].toLowerCase()}`
                : 'none')}
          </li>
          <li>Priority: {result.priority === null ? 'from the matrix' : priorityLabel(result.priority)}</li>
          <li>Category: {name(names.categories, result.categoryId) ?? 'none'}</li>
          {result.watcherIds.length > 0 && (
            <li>Watchers: {result.watcherIds.map((id) => name(names.people, id)).join(', ')}</li>
          )}
        </ul>
      </Alert>
      <ol className="plain-list test-outcome" aria-label="Rules in order">
        {r.rules.map((rule) => (
          <li key={rule.id}>
            <Badge tone={OUTCOME[rule.outcome].tone}>{OUTCOME[rule.outcome].label}</Badge> {rule.name}
            {rule.outcome === 'no_match' && (
              <span className="muted">
                {' '}
                · conditions held: {rule.conditions.map((c) => (c ? 'yes' : 'no')).join(', ')}
              </span>
            )}
            {rule.skipped.length > 0 && <span className="muted"> · skipped: {rule.skipped.join('; ')}</span>}
          </li>
        ))}
      </ol>
      {r.rules.length === 0 && <p className="muted">No rules are in use.</p>}
    </div>
  );
}

/** Tries the rules in use on a sample ticket, without creating it. */
export function RoutingTest({ names }: { names: Names }) {
  const test = useTestRules();
  const [type, setType] = useState<TicketType>('incident');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [requesterId, setRequesterId] = useState('');
  const { bind, summary } = useFieldErrors(test.error);
  const send = (e: FormEvent) => {
    e.preventDefault();
    test.mutate({
      type,
      title: title.trim(),
      description,
      ...(categoryId ? { categoryId } : {}),
      ...(requesterId ? { requesterId } : {}),
    });
  };
  return (
    <Panel title="Test the rules">
      <form className="form form-wide" onSubmit={send} noValidate aria-label="Test the rules">
        <p className="muted">
          Describe a ticket to see which rules match and where it would go. Nothing is created.
        </p>
        <FormError error={summary} title="Could not test" />
        <div className="form-row">
          <SelectField label="Type" {...bind('type', type, setType)}>
            {(Object.keys(TYPE_LABEL) as TicketType[]).map((t) => (
              <option key={t} value={t}>
                {TYPE_LABEL[t]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Category" {...bind('categoryId', categoryId, setCategoryId)}>
            <option value="">None</option>
            <CategoryOptions categories={names.categories} />
          </SelectField>
          <SelectField label="Requester" {...bind('requesterId', requesterId, setRequesterId)}>
            <option value="">Anyone</option>
            {names.people.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        </div>
        <TextField label="Sample title" maxLength={200} {...bind('title', title, setTitle)} />
        <TextAreaField
          label="Sample description"
          rows={3}
          {...bind('description', description, setDescription)}
        />
        <FormActions submit="Test" busy={test.isPending} />
      </form>
      {test.data && <Result r={test.data} names={names} />}
    </Panel>
  );
}
