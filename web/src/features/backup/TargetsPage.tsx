import { useState } from 'react';
import type { BackupTarget, TargetCredentials, TargetTestResult } from '@contracts';
import { Alert, Button, ConfirmButton, ErrorAlert, ListTable, Panel } from '../../ui';
import { useDeleteTarget, useTargets, useTestTarget } from './api';
import { KINDS, SECRET_LABEL } from './drafts';
import { BackupArea, Pill, wholeList } from './parts';
import { EditTargetForm, NewTargetForm } from './TargetForm';

const STEP_LABEL = { write: 'Write', read: 'Read back', list: 'List', delete: 'Delete' } as const;

/** The outcome of a target's test: each probe step with its time, and the failure in words. */
function TestResult({ name, result }: { name: string; result: TargetTestResult }) {
  return (
    <Alert
      tone={result.ok ? 'success' : 'error'}
      title={
        result.ok
          ? `${name} works: Steward wrote, read, listed and deleted a probe.`
          : `${name} failed its test`
      }
    >
      {result.error !== null && <p>{result.error}</p>}
      <ul className="probe-steps" aria-label="Test steps">
        {result.steps.map((s) => (
          <li key={s.step}>
            <Pill tone={s.ok ? 'success' : 'danger'}>
              {STEP_LABEL[s.step]}: {s.ok ? `${Math.round(s.ms)} ms` : 'failed'}
            </Pill>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** A target's credentials as people know them (never their values). */
function credentialsText(t: BackupTarget): string {
  if (t.credentialsSet.length === 0) return 'None';
  return t.credentialsSet.map((k) => SECRET_LABEL[k as keyof TargetCredentials] ?? k).join(', ');
}

/**
 * Storage targets (admins): where each computer's backups go. Create, edit (credentials are write-only), test
 * with a probe, and delete one no computer uses.
 */
export function TargetsPage() {
  const targets = useTargets();
  const test = useTestTarget();
  const remove = useDeleteTarget();
  const [mode, setMode] = useState<'list' | 'new' | { edit: string }>('list');
  const [notice, setNotice] = useState<string | null>(null);
  const [tested, setTested] = useState<{ name: string; result: TargetTestResult } | null>(null);
  const editing = typeof mode === 'object' ? targets.data?.find((t) => t.id === mode.edit) : undefined;
  const done = (text: string) => {
    setMode('list');
    setNotice(text);
  };
  return (
    <BackupArea
      title="Storage targets"
      description="Where backups go: a folder on this server, S3-compatible storage, an SFTP server or a restic REST server. Each computer gets a repository of its own on one."
      actions={
        mode === 'list' && (
          <Button
            variant="primary"
            onClick={() => {
              setNotice(null);
              setMode('new');
            }}
          >
            New target
          </Button>
        )
      }
    >
      {notice !== null && <Alert tone="success">{notice}</Alert>}
      {mode === 'new' && (
        <Panel title="New storage target">
          <NewTargetForm
            onDone={(t) => done(`${t.name} was created. Test it before computers use it.`)}
            onCancel={() => setMode('list')}
          />
        </Panel>
      )}
      {editing !== undefined && (
        <Panel title={`Edit ${editing.name}`}>
          <EditTargetForm
            key={editing.version}
            target={editing}
            onDone={(t) => done(`${t.name} was saved.`)}
            onCancel={() => setMode('list')}
            onReload={() => void targets.refetch()}
          />
        </Panel>
      )}
      {tested !== null && <TestResult name={tested.name} result={tested.result} />}
      <ErrorAlert error={test.error} title="The test could not be run" />
      <ErrorAlert error={remove.error} title="The target was not deleted" />
      <Panel padded={false}>
        <ListTable
          query={wholeList(targets)}
          label="Storage targets"
          noun="storage targets"
          empty="No storage target yet: add one, then give computers a repository on it."
          rowKey={(t) => t.id}
          columns={[
            {
              header: 'Name',
              className: 'cell-title',
              cell: (t) => (
                <>
                  {t.name}
                  <div className="muted">{KINDS[t.kind].label}</div>
                </>
              ),
            },
            { header: 'Location', className: 'mono', cell: (t) => t.location },
            { header: 'Credentials', wide: true, cell: credentialsText },
            {
              header: 'Computers',
              wide: true,
              cell: (t) => t.repositories,
            },
            {
              header: <span className="visually-hidden">Actions</span>,
              className: 'cell-actions',
              cell: (t) => (
                <div className="row-actions">
                  <Button
                    size="sm"
                    busy={test.isPending && test.variables === t.id}
                    aria-label={`Test ${t.name}`}
                    onClick={() => {
                      setTested(null);
                      test.mutate(t.id, { onSuccess: (result) => setTested({ name: t.name, result }) });
                    }}
                  >
                    Test
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Edit ${t.name}`}
                    onClick={() => {
                      setNotice(null);
                      setMode({ edit: t.id });
                    }}
                  >
                    Edit
                  </Button>
                  <ConfirmButton
                    busy={remove.isPending && remove.variables === t.id}
                    confirmLabel={`Confirm: delete ${t.name}`}
                    onConfirm={() => remove.mutate(t.id, { onSuccess: () => done(`${t.name} was deleted.`) })}
                  >
                    Delete
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
