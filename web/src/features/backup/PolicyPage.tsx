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
import { useT, type Translate } from '../../i18n';
import './backup.css';

const BACK = '/backups/policies';
const back = (t: Translate) => ({ to: BACK, label: t('backup.policies.title') });

/** A new policy; then its page, to assign it. */
export function NewPolicyPage() {
  const t = useT();
  const create = useCreatePolicy();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => policyDraft());
  return (
    <>
      <PageHeader title={t('backup.policies.newTitle')} back={back(t)} />
      <Panel>
        <div className="stack-sm">
          <FormError error={create.error} title={t('backup.policies.notCreated')} />
          <PolicyForm
            draft={draft}
            set={setDraft}
            error={create.error}
            label={t('backup.policies.newTitle')}
            onSubmit={() =>
              create.mutate(policyBody(draft), {
                onSuccess: (p) =>
                  void navigate(policyPath(p.id), {
                    state: { notice: t('backup.policies.created', { name: p.name }) },
                  }),
              })
            }
            actions={
              <FormActions submit={t('backup.policies.create')} busy={create.isPending} cancelTo={BACK} />
            }
          />
        </div>
      </Panel>
    </>
  );
}

/** Editing a policy at the version it was read. */
function EditPolicy({ policy, onReload }: { policy: BackupPolicy; onReload: () => void }) {
  const t = useT();
  const update = useUpdatePolicy(policy.id);
  const [draft, setDraft] = useState(() => policyDraft(policy));
  const [saved, setSaved] = useState(false);
  const stale = isApiError(update.error, 'stale');
  return (
    <Panel title={t('backup.policies.settings')}>
      <div className="stack-sm">
        {stale ? (
          <StaleAlert
            what={t('backup.policies.what')}
            onReload={() => {
              update.reset();
              onReload();
            }}
          />
        ) : (
          <FormError error={update.error} title={t('backup.notSaved')} />
        )}
        {saved && <Alert tone="success">{t('backup.changesSaved')}</Alert>}
        <PolicyForm
          draft={draft}
          set={(d) => {
            setSaved(false);
            setDraft(d);
          }}
          error={stale ? null : update.error}
          label={t('backup.editName', { name: policy.name })}
          onSubmit={() =>
            update.mutate(
              { patch: policyBody(draft), version: policy.version },
              { onSuccess: () => setSaved(true) },
            )
          }
          actions={<FormActions submit={t('backup.policies.save')} busy={update.isPending} />}
        />
      </div>
    </Panel>
  );
}

/** Deleting a policy: its computers fall back to the next assignment that names them. */
function DeletePolicy({ policy }: { policy: BackupPolicy }) {
  const t = useT();
  const remove = useDeletePolicy();
  const navigate = useNavigate();
  return (
    <Panel title={t('backup.policies.delete')}>
      <div className="stack-sm">
        <p className="muted">{t('backup.policies.deleteAbout')}</p>
        <ErrorAlert error={remove.error} title={t('backup.policies.notDeleted')} />
        <div>
          <ConfirmButton
            busy={remove.isPending}
            confirmLabel={t('backup.confirmDelete', { name: policy.name })}
            onConfirm={() =>
              remove.mutate(policy.id, {
                onSuccess: () =>
                  void navigate(BACK, { state: { notice: t('backup.deleted', { name: policy.name }) } }),
              })
            }
          >
            {t('backup.policies.delete')}
          </ConfirmButton>
        </div>
      </div>
    </Panel>
  );
}

/** A policy's page: its settings, what it is assigned to, which computers it covers, deletion. */
export function PolicyPage() {
  const t = useT();
  const { id = '' } = useParams();
  const q = usePolicy(id);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <>
        <PageHeader title={t('backup.policies.one')} back={back(t)} />
        <ErrorAlert
          error={q.error}
          title={
            isApiError(q.error, 'not_found') ? t('backup.policies.missing') : t('backup.policies.notLoaded')
          }
        />
        <p>
          <ButtonLink to={BACK}>{t('backup.policies.all')}</ButtonLink>
        </p>
      </>
    );
  const policy = q.data;
  return (
    <>
      <PageHeader title={policy.name} back={back(t)} description={scheduleText(t, policy)} />
      <Notice />
      <div className="ticket-layout backup-layout" key={policy.id}>
        <div className="stack">
          <EditPolicy key={policy.version} policy={policy} onReload={() => void q.refetch()} />
        </div>
        <aside className="stack" aria-label={t('backup.policies.aside')}>
          <AssignmentsPanel policy={policy} />
          <CoveragePanel id={policy.id} />
          <DeletePolicy policy={policy} />
        </aside>
      </div>
    </>
  );
}
