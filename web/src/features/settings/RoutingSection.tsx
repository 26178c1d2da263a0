import { useState } from 'react';
import type { RoutingRule } from '@contracts';
import { isApiError } from '../../api/client';
import { Alert, Badge, Button, ConfirmButton, Empty, ErrorAlert, Loading, PageHeader, Panel } from '../../ui';
import { useAllTeams } from '../teams/api';
import { useCategories } from '../tickets/api';
import { useUserOptions } from '../users/api';
import { useReorderRules, useRules } from './api';
import { editorOf } from './editing';
import { RoutingTest } from './RoutingTest';
import { RuleForm, editableInForm } from './RuleForm';
import { actionsText, conditionText, type Names } from './ruleWords';
import { useT } from '../../i18n';
import { activeFormatTag } from '../../i18n/locale';

/** Routing rules in order: add, edit, turn on and off, move up and down, delete; and a test on a sample. */
export function RoutingSection() {
  const t = useT();
  const rules = useRules();
  const reorder = useReorderRules();
  const teams = useAllTeams();
  const categories = useCategories();
  const people = useUserOptions();
  const [editing, setEditing] = useState<string | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  if (rules.list.isPending || teams.isPending || categories.isPending || people.isPending) return <Loading />;
  if (rules.list.isError) return <ErrorAlert error={rules.list.error} title={t('routing.loadFailed')} />;
  const names: Names = {
    teams: teams.data ?? [],
    categories: categories.data ?? [],
    people: people.data ?? [],
  };
  const list = rules.list.data;
  const open = (id: string | null) => {
    rules.create.reset();
    rules.update.reset();
    setNotice(null);
    setEditing(id);
  };
  const move = (i: number, by: -1 | 1) => {
    const ids = list.map((r) => r.id);
    const [id] = ids.splice(i, 1);
    if (id !== undefined) ids.splice(i + by, 0, id);
    reorder.mutate(ids);
  };
  const editor = (rule: RoutingRule | undefined) => {
    const { stale, ...props } = editorOf(
      rules,
      rule,
      t('what.rule'),
      () => setEditing(undefined),
      (what) => {
        setEditing(undefined);
        setNotice(what);
      },
      t,
    );
    return (
      <>
        {stale}
        {rule && !editableInForm(rule) && <Alert tone="warning">{t('routing.simplifies')}</Alert>}
        <RuleForm rule={rule} names={names} submit={rule ? t('routing.save') : t('routing.add')} {...props} />
      </>
    );
  };
  return (
    <>
      <PageHeader title={t('settings.section.routing')} description={t('routing.description')} />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        <ErrorAlert
          error={
            reorder.error ??
            rules.remove.error ??
            (isApiError(rules.update.error, 'stale')
              ? null
              : editing === undefined
                ? rules.update.error
                : null)
          }
          title={t('users.notSaved')}
        />
        <Panel
          title={t('routing.inOrder')}
          padded={false}
          actions={
            <Button size="sm" onClick={() => open(null)}>
              {t('routing.new')}
            </Button>
          }
        >
          {editing === null && <div className="panel-body">{editor(undefined)}</div>}
          {list.length === 0 && editing !== null ? (
            <Empty>{t('routing.none')}</Empty>
          ) : (
            <ol className="rule-list" aria-label={t('settings.section.routing')}>
              {list.map((rule, i) =>
                editing === rule.id ? (
                  <li key={rule.id}>{editor(rule)}</li>
                ) : (
                  <li key={rule.id}>
                    <div className="rule-summary">
                      <strong>
                        {i + 1}. {rule.name}
                      </strong>{' '}
                      {!rule.enabled && <Badge>{t('sla.notInUse')}</Badge>}
                      <p className="muted">
                        {t('rule.summary', {
                          conditions:
                            rule.conditions.length === 0
                              ? t('rule.anyTicket')
                              : new Intl.ListFormat(activeFormatTag(), { type: 'conjunction' }).format(
                                  rule.conditions.map((c) => conditionText(c, names, t)),
                                ),
                          actions: actionsText(rule.actions, names, t),
                          stop: rule.stop ? 'yes' : 'no',
                        })}
                      </p>
                    </div>
                    <div className="button-row">
                      <Button
                        size="sm"
                        disabled={i === 0 || reorder.isPending}
                        onClick={() => move(i, -1)}
                        aria-label={t('routing.moveUp', { name: rule.name })}
                      >
                        ↑
                      </Button>
                      <Button
                        size="sm"
                        disabled={i === list.length - 1 || reorder.isPending}
                        onClick={() => move(i, 1)}
                        aria-label={t('routing.moveDown', { name: rule.name })}
                      >
                        ↓
                      </Button>
                      <Button
                        size="sm"
                        onClick={() => rules.update.mutate({ item: rule, patch: { enabled: !rule.enabled } })}
                      >
                        {rule.enabled ? t('routing.turnOff') : t('routing.turnOn')}
                      </Button>
                      <Button size="sm" onClick={() => open(rule.id)}>
                        {t('common.edit')}
                      </Button>
                      <ConfirmButton
                        confirmLabel={t('settings.confirmDelete')}
                        onConfirm={() => rules.remove.mutate(rule)}
                      >
                        {t('common.delete')}
                      </ConfirmButton>
                    </div>
                  </li>
                ),
              )}
            </ol>
          )}
        </Panel>
        <RoutingTest names={names} />
      </div>
    </>
  );
}
