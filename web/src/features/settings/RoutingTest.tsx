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
import { TYPE_LABEL } from '../tickets/labels';
import { priorityName } from '../../ui';
import { CategoryOptions } from './CategoryOptions';
import { useTestRules } from './api';
import type { Names } from './ruleWords';
import { useT } from '../../i18n';

const OUTCOME = {
  matched: { tone: 'success', label: 'routingTest.matched' },
  no_match: { tone: undefined, label: 'routingTest.no_match' },
  not_reached: { tone: undefined, label: 'routingTest.not_reached' },
} as const;

/** Where the sample would end up, in words. */
function Result({ r, names }: { r: RoutingTestResult; names: Names }) {
  const t = useT();
  const name = (list: readonly { id: string; name: string }[], id: string | null) =>
    id === null ? null : (list.find((x) => x.id === id)?.name ?? t('routingTest.gone'));
  const { result } = r;
  const team = name(names.teams, result.teamId);
  const agent = name(names.people, result.assigneeId);
  return (
    <div className="stack-sm" aria-label={t('routingTest.result')} role="region">
      <Alert tone="info" title={t('routingTest.wouldGet')}>
        <ul className="plain-list test-outcome">
          <li>{t('routingTest.team', { team: team ?? t('routingTest.none') })}</li>
          <li>
            {t('routingTest.agent', {
              agent:
                agent ??
                (result.assignedBy
                  ? t('routingTest.pickedBy', {
                      strategy: t(`assignment.strategy.${result.assignedBy}`).toLowerCase(),
                    })
                  : t('routingTest.none')),
            })}
          </li>
          <li>
            {t('routingTest.priority', {
              priority:
                result.priority === null ? t('routingTest.fromMatrix') : priorityName(t, result.priority),
            })}
          </li>
          <li>
            {t('routingTest.category', {
              category: name(names.categories, result.categoryId) ?? t('routingTest.none'),
            })}
          </li>
          {result.watcherIds.length > 0 && (
            <li>
              {t('routingTest.watchers', {
                watchers: result.watcherIds.map((id) => name(names.people, id)).join(', '),
              })}
            </li>
          )}
        </ul>
      </Alert>
      <ol className="plain-list test-outcome" aria-label={t('routingTest.rulesInOrder')}>
        {r.rules.map((rule) => (
          <li key={rule.id}>
            <Badge tone={OUTCOME[rule.outcome].tone}>{t(OUTCOME[rule.outcome].label)}</Badge> {rule.name}
            {rule.outcome === 'no_match' && (
              <span className="muted">
                {' '}
                ·{' '}
                {t('routingTest.held', {
                  held: rule.conditions.map((c) => (c ? t('common.yes') : t('common.no'))).join(', '),
                })}
              </span>
            )}
            {rule.skipped.length > 0 && (
              <span className="muted">
                {' · '}
                {t('routingTest.skipped', { reasons: rule.skipped.join('; ') })}
              </span>
            )}
          </li>
        ))}
      </ol>
      {r.rules.length === 0 && <p className="muted">{t('routingTest.noRules')}</p>}
    </div>
  );
}

/** Tries the rules in use on a sample ticket, without creating it. */
export function RoutingTest({ names }: { names: Names }) {
  const t = useT();
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
    <Panel title={t('routingTest.title')}>
      <form className="form form-wide" onSubmit={send} noValidate aria-label={t('routingTest.title')}>
        <p className="muted">{t('routingTest.intro')}</p>
        <FormError error={summary} title={t('routingTest.failed')} />
        <div className="form-row">
          <SelectField label={t('routingTest.type')} {...bind('type', type, setType)}>
            {(Object.keys(TYPE_LABEL) as TicketType[]).map((type) => (
              <option key={type} value={type}>
                {t(TYPE_LABEL[type])}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('routingTest.categoryLabel')}
            {...bind('categoryId', categoryId, setCategoryId)}
          >
            <option value="">{t('common.none')}</option>
            <CategoryOptions categories={names.categories} />
          </SelectField>
          <SelectField
            label={t('routingTest.requester')}
            {...bind('requesterId', requesterId, setRequesterId)}
          >
            <option value="">{t('audit.anyone')}</option>
            {names.people.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        </div>
        <TextField label={t('routingTest.sampleTitle')} maxLength={200} {...bind('title', title, setTitle)} />
        <TextAreaField
          label={t('routingTest.sampleDescription')}
          rows={3}
          {...bind('description', description, setDescription)}
        />
        <FormActions submit={t('routingTest.test')} busy={test.isPending} />
      </form>
      {test.data && <Result r={test.data} names={names} />}
    </Panel>
  );
}
