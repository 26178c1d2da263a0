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
  if (rules.list.isError)
    return <ErrorAlert error={rules.list.error} title="The rules could not be loaded" />;
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
      'rule',
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
        {rule && !editableInForm(rule) && (
          <Alert tone="warning">
            This rule has conditions the form cannot show in full; saving it here simplifies them.
          </Alert>
        )}
        <RuleForm rule={rule} names={names} submit={rule ? 'Save rule' : 'Add rule'} {...props} />
      </>
    );
  };
  return (
    <>
      <PageHeader
        title="Routing rules"
        description="Each new ticket goes through the rules in use, top to bottom. A rule fills in only what is still empty."
      />
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
          title="Not saved"
        />
        <Panel
          title="Rules, in order"
          padded={false}
          actions={
            <Button size="sm" onClick={() => open(null)}>
              New rule
            </Button>
          }
        >
          {editing === null && <div className="panel-body">{editor(undefined)}</div>}
          {list.length === 0 && editing !== null ? (
            <Empty>No rules: new tickets wait in the queue for someone to pick them up.</Empty>
          ) : (
            <ol className="rule-list" aria-label="Routing rules">
              {list.map((rule, i) =>
                editing === rule.id ? (
                  <li key={rule.id}>{editor(rule)}</li>
                ) : (
                  <li key={rule.id}>
                    <div className="rule-summary">
                      <strong>
                        {i + 1}. {rule.name}
                      </strong>{' '}
                      {!rule.enabled && <Badge>Not in use</Badge>}
                      <p className="muted">
                        When{' '}
                        {rule.conditions.length === 0
                          ? 'any ticket is created'
                          : rule.conditions.map((c) => conditionText(c, names)).join(' and ')}
                        {' → '}
                        {actionsText(rule.actions, names)}
                        {rule.stop ? '; then stop' : '; then go on'}
                      </p>
                    </div>
                    <div className="button-row">
                      <Button
                        size="sm"
                        disabled={i === 0 || reorder.isPending}
                        onClick={() => move(i, -1)}
                        aria-label={`Move ${rule.name} up`}
                      >
                        ↑
                      </Button>
                      <Button
                        size="sm"
                        disabled={i === list.length - 1 || reorder.isPending}
                        onClick={() => move(i, 1)}
                        aria-label={`Move ${rule.name} down`}
                      >
                        ↓
                      </Button>
                      <Button
                        size="sm"
                        onClick={() => rules.update.mutate({ item: rule, patch: { enabled: !rule.enabled } })}
                      >
                        {rule.enabled ? 'Turn off' : 'Turn on'}
                      </Button>
                      <Button size="sm" onClick={() => open(rule.id)}>
                        Edit
                      </Button>
                      <ConfirmButton
                        confirmLabel="Click again to delete"
                        onConfirm={() => rules.remove.mutate(rule)}
                      >
                        Delete
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
