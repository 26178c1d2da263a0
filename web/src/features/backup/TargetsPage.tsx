import { useState } from 'react';
import type { BackupTarget, TargetTestResult } from '@contracts';
import { useT, type Translate } from '../../i18n';
import { Alert, Button, ConfirmButton, ErrorAlert, ListTable, Panel } from '../../ui';
import { useDeleteTarget, useTargets, useTestTarget } from './api';
import { secretLabel } from './drafts';
import { BackupArea, Pill, wholeList } from './parts';
import { EditTargetForm, NewTargetForm } from './TargetForm';

/** The outcome of a target's test: each probe step with its time, and the failure in words. */
function TestResult({ name, result }: { name: string; result: TargetTestResult }) {
  const t = useT();
  return (
    <Alert
      tone={result.ok ? 'success' : 'error'}
      title={result.ok ? t('backup.test.works', { name }) : t('backup.test.failed', { name })}
    >
      {result.error !== null && <p>{result.error}</p>}
      <ul className="probe-steps" aria-label={t('backup.test.steps')}>
        {result.steps.map((s) => (
          <li key={s.step}>
            <Pill tone={s.ok ? 'success' : 'danger'}>
              {s.ok
                ? t('backup.test.stepTook', { step: t(`backup.test.step.${s.step}`), ms: Math.round(s.ms) })
                : t('backup.test.stepFailed', { step: t(`backup.test.step.${s.step}`) })}
            </Pill>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** A target's credentials as people know them (never their values). */
function credentialsText(t: Translate, target: BackupTarget): string {
  if (target.credentialsSet.length === 0) return t('common.none');
  return target.credentialsSet.map((k) => secretLabel(t, k)).join(', ');
}

/**
 * Storage targets (admins): where each computer's backups go. Create, edit (credentials are write-only), test
 * with a probe, and delete one no computer uses.
 */
export function TargetsPage() {
  const t = useT();
  const targets = useTargets();
  const test = useTestTarget();
  const remove = useDeleteTarget();
  const [mode, setMode] = useState<'list' | 'new' | { edit: string }>('list');
  const [notice, setNotice] = useState<string | null>(null);
  const [tested, setTested] = useState<{ name: string; result: TargetTestResult } | null>(null);
  const editing = typeof mode === 'object' ? targets.data?.find((x) => x.id === mode.edit) : undefined;
  const done = (text: string) => {
    setMode('list');
    setNotice(text);
  };
  return (
    <BackupArea
      title={t('backup.tab.targets')}
      description={t('backup.targets.about')}
      actions={
        mode === 'list' && (
          <Button
            variant="primary"
            onClick={() => {
              setNotice(null);
              setMode('new');
            }}
          >
            {t('backup.targets.new')}
          </Button>
        )
      }
    >
      {notice !== null && <Alert tone="success">{notice}</Alert>}
      {mode === 'new' && (
        <Panel title={t('backup.target.new')}>
          <NewTargetForm
            onDone={(x) => done(t('backup.targets.created', { name: x.name }))}
            onCancel={() => setMode('list')}
          />
        </Panel>
      )}
      {editing !== undefined && (
        <Panel title={t('backup.editName', { name: editing.name })}>
          <EditTargetForm
            key={editing.version}
            target={editing}
            onDone={(x) => done(t('backup.targets.saved', { name: x.name }))}
            onCancel={() => setMode('list')}
            onReload={() => void targets.refetch()}
          />
        </Panel>
      )}
      {tested !== null && <TestResult name={tested.name} result={tested.result} />}
      <ErrorAlert error={test.error} title={t('backup.test.notRun')} />
      <ErrorAlert error={remove.error} title={t('backup.targets.notDeleted')} />
      <Panel padded={false}>
        <ListTable
          query={wholeList(targets)}
          label={t('backup.tab.targets')}
          noun={t('backup.targets.noun')}
          empty={t('backup.targets.none')}
          rowKey={(x) => x.id}
          columns={[
            {
              header: t('common.name'),
              className: 'cell-title',
              cell: (x) => (
                <>
                  {x.name}
                  <div className="muted">{t(`backup.kind.${x.kind}`)}</div>
                </>
              ),
            },
            { header: t('backup.targets.location'), className: 'mono', cell: (x) => x.location },
            { header: t('backup.targets.credentials'), wide: true, cell: (x) => credentialsText(t, x) },
            {
              header: t('backup.targets.computers'),
              wide: true,
              cell: (x) => x.repositories,
            },
            {
              header: <span className="visually-hidden">{t('backup.actions')}</span>,
              className: 'cell-actions',
              cell: (x) => (
                <div className="row-actions">
                  <Button
                    size="sm"
                    busy={test.isPending && test.variables === x.id}
                    aria-label={t('backup.targets.testName', { name: x.name })}
                    onClick={() => {
                      setTested(null);
                      test.mutate(x.id, { onSuccess: (result) => setTested({ name: x.name, result }) });
                    }}
                  >
                    {t('backup.targets.test')}
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={t('backup.editName', { name: x.name })}
                    onClick={() => {
                      setNotice(null);
                      setMode({ edit: x.id });
                    }}
                  >
                    {t('common.edit')}
                  </Button>
                  <ConfirmButton
                    busy={remove.isPending && remove.variables === x.id}
                    confirmLabel={t('backup.confirmDelete', { name: x.name })}
                    onConfirm={() =>
                      remove.mutate(x.id, { onSuccess: () => done(t('backup.deleted', { name: x.name })) })
                    }
                  >
                    {t('common.delete')}
                  </ConfirmButton>
                </div>
              ),
            },
          ]}
        />
      </Panel>
    </BackupArea>
  );
}
