import { useState, type FormEvent } from 'react';
import type { CreateRoutingRule, RoutingCondition, RoutingRule, TicketType } from '@contracts';
import {
  Button,
  CheckboxField,
  FormActions,
  FormError,
  SelectField,
  TextField,
  fieldErrorsOf,
} from '../../ui';
import { priorityLabel, TYPE_LABEL } from '../tickets/labels';
import { flattenTree } from '../tickets/categoryTree';
import { CategoryOptions } from './CategoryOptions';
import type { Names } from './ruleWords';

type Kind = 'type' | 'category' | 'words' | 'requesterTeam';
/** A condition as the form edits it: one kind, one value (a type, a category, a team, or words). */
interface Draft {
  kind: Kind;
  value: string;
}

const KIND_LABEL: Record<Kind, string> = {
  type: 'Type is',
  category: 'Category is (or below)',
  words: 'Title or description mentions any of',
  requesterTeam: 'Requester is in team',
};

function toDraft(c: RoutingCondition): Draft | null {
  switch (c.field) {
    case 'type':
      return { kind: 'type', value: c.in[0] ?? 'incident' };
    case 'category':
      return { kind: 'category', value: c.in[0] ?? '' };
    case 'words':
      return { kind: 'words', value: c.words.join(', ') };
    case 'requesterTeam':
      return { kind: 'requesterTeam', value: c.in[0] ?? '' };
    case 'asset':
      return null;
  }
}

function toCondition(d: Draft): RoutingCondition {
  switch (d.kind) {
    case 'type':
      return { field: 'type', in: [d.value as TicketType] };
    case 'category':
      return { field: 'category', in: [d.value], includeSubcategories: true };
    case 'words':
      return {
        field: 'words',
        words: d.value
          .split(',')
          .map((w) => w.trim())
          .filter(Boolean),
        match: 'any',
        in: 'title_or_description',
      };
    case 'requesterTeam':
      return { field: 'requesterTeam', in: [d.value] };
  }
}

/** Whether the form can show every condition of `rule` (conditions on several values or on assets it cannot). */
export function editableInForm(rule: RoutingRule): boolean {
  return rule.conditions.every(
    (c) =>
      c.field !== 'asset' &&
      (c.field === 'words' ? c.match === 'any' && c.in === 'title_or_description' : c.in.length === 1),
  );
}

/** A routing rule: name, conditions (all must hold), what it sets, and whether later rules still run. */
export function RuleForm({
  rule,
  names,
  busy,
  error,
  submit,
  onSubmit,
  onCancel,
}: {
  rule?: RoutingRule;
  names: Names;
  busy: boolean;
  error: unknown;
  submit: string;
  onSubmit: (body: CreateRoutingRule) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(rule?.name ?? '');
  const [conditions, setConditions] = useState<Draft[]>(
    () =>
      rule?.conditions.map(toDraft).filter((d): d is Draft => d !== null) ?? [{ kind: 'words', value: '' }],
  );
  const a = rule?.actions;
  const [team, setTeam] = useState(a?.setTeam ?? '');
  const [agent, setAgent] = useState(a?.setAgent ?? '');
  const [priority, setPriority] = useState(a?.setPriority ? String(a.setPriority) : '');
  const [category, setCategory] = useState(a?.setCategory ?? '');
  const [stop, setStop] = useState(rule?.stop ?? true);
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const errors = fieldErrorsOf(error);
  const tree = flattenTree(names.categories);
  const agents = names.people.filter((u) => u.role !== 'requester' && u.active);
  const setCondition = (i: number, d: Draft) => setConditions(conditions.map((c, j) => (j === i ? d : c)));
  const firstValue = (kind: Kind) =>
    kind === 'type'
      ? 'incident'
      : kind === 'category'
        ? (tree[0]?.category.id ?? '')
        : kind === 'requesterTeam'
          ? (names.teams[0]?.id ?? '')
          : '';
  const send = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      name: name.trim(),
      enabled,
      stop,
      conditions: conditions.map(toCondition),
      actions: {
        ...(team ? { setTeam: team } : {}),
        ...(agent ? { setAgent: agent } : {}),
        ...(priority ? { setPriority: Number(priority) } : {}),
        ...(category ? { setCategory: category } : {}),
        ...(a?.addWatchers ? { addWatchers: a.addWatchers } : {}),
      },
    });
  };
  return (
    <form
      className="form form-wide"
      onSubmit={send}
      noValidate
      aria-label={rule ? `Edit ${rule.name}` : 'New rule'}
    >
      <FormError error={error} title="Not saved" />
      <TextField
        label="Name"
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <fieldset className="stack-sm">
        <legend className="field-label">When all of these hold (none: every new ticket)</legend>
        {errors.conditions !== undefined && <span className="field-error">{errors.conditions}</span>}
        {conditions.map((c, i) => (
          <div className="form-row" key={i}>
            <SelectField
              label={`Condition ${i + 1}`}
              value={c.kind}
              onChange={(e) =>
                setCondition(i, { kind: e.target.value as Kind, value: firstValue(e.target.value as Kind) })
              }
            >
              {(Object.keys(KIND_LABEL) as Kind[]).map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </SelectField>
            {c.kind === 'words' ? (
              <TextField
                label={`Words for condition ${i + 1}`}
                hint="Separate words or phrases with commas"
                value={c.value}
                onChange={(e) => setCondition(i, { ...c, value: e.target.value })}
              />
            ) : (
              <SelectField
                label={`Value of condition ${i + 1}`}
                value={c.value}
                onChange={(e) => setCondition(i, { ...c, value: e.target.value })}
              >
                {c.kind === 'type' &&
                  (Object.keys(TYPE_LABEL) as TicketType[]).map((t) => (
                    <option key={t} value={t}>
                      {TYPE_LABEL[t]}
                    </option>
                  ))}
                {c.kind === 'category' && <CategoryOptions categories={names.categories} />}
                {c.kind === 'requesterTeam' &&
                  names.teams.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
              </SelectField>
            )}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => setConditions(conditions.filter((_, j) => j !== i))}
            >
              Remove condition {i + 1}
            </Button>
          </div>
        ))}
        <div>
          <Button size="sm" onClick={() => setConditions([...conditions, { kind: 'words', value: '' }])}>
            Add condition
          </Button>
        </div>
      </fieldset>
      <fieldset className="stack-sm">
        <legend className="field-label">Then set (what the creator chose stays)</legend>
        {errors.actions !== undefined && <span className="field-error">{errors.actions}</span>}
        <div className="form-row">
          <SelectField label="Team" value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">Leave as is</option>
            {names.teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Agent"
            value={agent}
            onChange={(e) => setAgent(e.target.value)}
            hint="Empty: the team’s strategy picks one"
          >
            <option value="">Leave as is</option>
            {agents.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-row">
          <SelectField label="Priority" value={priority} onChange={(e) => setPriority(e.target.value)}>
            <option value="">From the matrix</option>
            {[1, 2, 3, 4, 5, 6].map((p) => (
              <option key={p} value={p}>
                {priorityLabel(p)}
              </option>
            ))}
          </SelectField>
          <SelectField label="Category" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">Leave as is</option>
            <CategoryOptions categories={names.categories} />
          </SelectField>
        </div>
      </fieldset>
      <CheckboxField
        label="Stop here when this rule matches"
        hint="Otherwise later rules may still fill in what is left."
        checked={stop}
        onChange={(e) => setStop(e.target.checked)}
      />
      <CheckboxField label="In use" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
      <FormActions submit={submit} busy={busy}>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </FormActions>
    </form>
  );
}
