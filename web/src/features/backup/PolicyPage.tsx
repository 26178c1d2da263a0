import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { BackupPolicy } from '@contracts';
import { isApiError } from '../../api/client';
import {
  Alert,
  ButtonLink,
  ConfirmButton,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  Notice,
  PageHeader,
  Panel,
  StaleAlert,
} from '../../ui';
import { useCreatePolicy, useDeletePolicy, usePolicy, useUpdatePolicy } from './api';
import { policyBody, policyDraft } from './drafts';
import { scheduleText } from './labels';
import { policyPath } from './PoliciesPage';
import { AssignmentsPanel, CoveragePanel } from './PolicyAssignments';
import { PolicyForm } from './PolicyForm';
import './backup.css';

const back = { to: '/backups/policies', label: 'Backup policies' };

/** A new policy; then its page, to assign it. */
export function NewPolicyPage() {
  const create = useCreatePolicy();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => policyDraft());
  return (
    <>
      <PageHeader title="New backup policy" back={back} />
      <Panel>
        <div className="stack-sm">
          <FormError error={create.error} title="The policy was not created" />
          <PolicyForm
            draft={draft}
            set={setDraft}
            error={create.error}
            label="New backup policy"
            onSubmit={() =>
              create.mutate(policyBody(draft), {
                onSuccess: (p) =>
                  void navigate(policyPath(p.id), {
                    state: {
                      notice: `${p.name} was created. Assign it to computers, locations, teams or classes.`,
                    },
                  }),
              })
            }
            actions={<FormActions submit="Create policy" busy={create.isPending} cancelTo={back.to} />}
          />
        </div>
      </Panel>
    </>
  );
}

/** Editing a policy at the version it was read. */
function EditPolicy({ policy, onReload }: { policy: BackupPolicy; onReload: () => void }) {
  const update = useUpdatePolicy(policy.id);
  const [draft, setDraft] = useState(() => policyDraft(policy));
  const [saved, setSaved] = useState(false);
  const stale = isApiError(update.error, 'stale');
  return (
    <Panel title="Settings">
      <div className="stack-sm">
        {stale ? (
          <StaleAlert
            what="policy"
            onReload={() => {
              update.reset();
              onReload();
            }}
          />
        ) : (
          <FormError error={update.error} title="Not saved" />
        )}
        {saved && <Alert tone="success">Changes saved.</Alert>}
        <PolicyForm
          draft={draft}
          set={(d) => {
            setSaved(false);
            setDraft(d);
          }}
          error={stale ? null : update.error}
          label={`Edit ${policy.name}`}
          onSubmit={() =>
            update.mutate(
              { patch: policyBody(draft), version: policy.version },
              { onSuccess: () => setSaved(true) },
            )
          }
          actions={<FormActions submit="Save policy" busy={update.isPending} />}
        />
      </div>
    </Panel>
  );
}

/** Deleting a policy: its computers fall back to the next assignment that names them. */
function DeletePolicy({ policy }: { policy: BackupPolicy }) {
  const remove = useDeletePolicy();
  const navigate = useNavigate();
  return (
    <Panel title="Delete policy">
      <div className="stack-sm">
        <p className="muted">Its computers fall back to the next policy that names them, or to none.</p>
        <ErrorAlert error={remove.error} title="The policy was not deleted" />
        <div>
          <ConfirmButton
            busy={remove.isPending}
            confirmLabel={`Confirm: delete ${policy.name}`}
            onConfirm={() =>
              remove.mutate(policy.id, {
                onSuccess: () => void navigate(back.to, { state: { notice: `${policy.name} was deleted.` } }),
              })
            }
          >
            Delete policy
          </ConfirmButton>
        </div>
      </div>
    </Panel>
  );
}

/** A policy's page: its settings, what it is assigned to, which computers it covers, deletion. */
export function PolicyPage() {
  const { id = '' } = useParams();
  const q = usePolicy(id);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <>
        <PageHeader title="Backup policy" back={back} />
        <ErrorAlert
          error={q.error}
          title={
            isApiError(q.error, 'not_found') ? 'This policy does not exist' : 'The policy could not be loaded'
          }
        />
        <p>
          <ButtonLink to={back.to}>All policies</ButtonLink>
        </p>
      </>
    );
  const policy = q.data;
  return (
    <>
      <PageHeader title={policy.name} back={back} description={scheduleText(policy)} />
      <Notice />
      <div className="ticket-layout backup-layout" key={policy.id}>
        <div className="stack">
          <EditPolicy key={policy.version} policy={policy} onReload={() => void q.refetch()} />
        </div>
        <aside className="stack" aria-label="Assignments and coverage">
          <AssignmentsPanel policy={policy} />
          <CoveragePanel id={policy.id} />
          <DeletePolicy policy={policy} />
        </aside>
      </div>
    </>
  );
}
