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
import { TYPE_LABEL } from '../tickets/labels';
import { priorityName } from '../../ui';
import { flattenTree } from '../tickets/categoryTree';
import { CategoryOptions } from './CategoryOptions';
import type { Names } from './ruleWords';
import { useT } from '../../i18n';

type Kind = 'type' | 'category' | 'words' | 'requesterTeam';
/** A condition as the form edits it: one kind, one value (a type, a category, a team, or words). */
interface Draft {
  kind: Kind;
  value: string;
}

const KINDS: readonly Kind[] = ['type', 'category', 'words', 'requesterTeam'];

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
  const t = useT();
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
      aria-label={rule ? t('ruleForm.edit', { name: rule.name }) : t('routing.new')}
    >
      <FormError error={error} title={t('users.notSaved')} />
      <TextField
        label={t('common.name')}
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <fieldset className="stack-sm">
        <legend className="field-label">{t('ruleForm.when')}</legend>
        {errors.conditions !== undefined && <span className="field-error">{errors.conditions}</span>}
        {conditions.map((c, i) => (
          <div className="form-row" key={i}>
            <SelectField
              label={t('ruleForm.condition', { n: i + 1 })}
              value={c.kind}
              onChange={(e) =>
                setCondition(i, { kind: e.target.value as Kind, value: firstValue(e.target.value as Kind) })
              }
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`ruleForm.kind.${k}`)}
                </option>
              ))}
            </SelectField>
            {c.kind === 'words' ? (
              <TextField
                label={t('ruleForm.words', { n: i + 1 })}
                hint={t('ruleForm.wordsHint')}
                value={c.value}
                onChange={(e) => setCondition(i, { ...c, value: e.target.value })}
              />
            ) : (
              <SelectField
                label={t('ruleForm.value', { n: i + 1 })}
                value={c.value}
                onChange={(e) => setCondition(i, { ...c, value: e.target.value })}
              >
                {c.kind === 'type' &&
                  (Object.keys(TYPE_LABEL) as TicketType[]).map((type) => (
                    <option key={type} value={type}>
                      {t(TYPE_LABEL[type])}
                    </option>
                  ))}
                {c.kind === 'category' && <CategoryOptions categories={names.categories} />}
                {c.kind === 'requesterTeam' &&
                  names.teams.map((team) => (
                    <option key={team.id} value={team.id}>
                      {team.name}
                    </option>
                  ))}
              </SelectField>
            )}
            <Button
              size="sm"
              variant="ghost"
              onClick={() => setConditions(conditions.filter((_, j) => j !== i))}
            >
              {t('ruleForm.remove', { n: i + 1 })}
            </Button>
          </div>
        ))}
        <div>
          <Button size="sm" onClick={() => setConditions([...conditions, { kind: 'words', value: '' }])}>
            {t('ruleForm.add')}
          </Button>
        </div>
      </fieldset>
      <fieldset className="stack-sm">
        <legend className="field-label">{t('ruleForm.thenSet')}</legend>
        {errors.actions !== undefined && <span className="field-error">{errors.actions}</span>}
        <div className="form-row">
          <SelectField label={t('ruleForm.team')} value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">{t('ruleForm.leave')}</option>
            {names.teams.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('ruleForm.agent')}
            value={agent}
            onChange={(e) => setAgent(e.target.value)}
            hint={t('ruleForm.agentHint')}
          >
            <option value="">{t('ruleForm.leave')}</option>
            {agents.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-row">
          <SelectField
            label={t('ruleForm.priority')}
            value={priority}
            onChange={(e) => setPriority(e.target.value)}
          >
            <option value="">{t('ruleForm.fromMatrix')}</option>
            {[1, 2, 3, 4, 5, 6].map((p) => (
              <option key={p} value={p}>
                {priorityName(t, p)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('ruleForm.category')}
            value={category}
            onChange={(e) => setCategory(e.target.value)}
          >
            <option value="">{t('ruleForm.leave')}</option>
            <CategoryOptions categories={names.categories} />
          </SelectField>
        </div>
      </fieldset>
      <CheckboxField
        label={t('ruleForm.stop')}
        hint={t('ruleForm.stopHint')}
        checked={stop}
        onChange={(e) => setStop(e.target.checked)}
      />
      <CheckboxField
        label={t('sla.inUse')}
        checked={enabled}
        onChange={(e) => setEnabled(e.target.checked)}
      />
      <FormActions submit={submit} busy={busy}>
        <Button variant="ghost" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </FormActions>
    </form>
  );
}
