import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { DrPlan } from '@contracts';
import { isApiError } from '../../api/client';
import { ErrorAlert, FormActions, FormError, Loading, PageHeader, Panel, StaleAlert } from '../../ui';
import { planPath, useCreatePlan, usePlan, useUpdatePlan } from './api';
import { planBody, planDraft } from './drafts';
import { PlanForm } from './PlanForm';
import { useT, type Translate } from '../../i18n';
import './dr.css';

const BACK = '/dr/plans';
const back = (t: Translate) => ({ to: BACK, label: t('dr.title') });

/** A new plan; then its page. */
export function NewPlanPage() {
  const t = useT();
  const create = useCreatePlan();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => planDraft());
  return (
    <>
      <PageHeader title={t('dr.form.newTitle')} back={back(t)} />
      <Panel>
        <div className="stack-sm">
          <FormError error={create.error} title={t('dr.form.notCreated')} />
          <PlanForm
            draft={draft}
            set={setDraft}
            error={create.error}
            label={t('dr.form.newTitle')}
            onSubmit={() =>
              create.mutate(planBody(draft), {
                onSuccess: (p) =>
                  void navigate(planPath(p.id), {
                    state: { notice: t('dr.form.created', { name: p.name }) },
                  }),
              })
            }
            actions={<FormActions submit={t('dr.form.create')} busy={create.isPending} cancelTo={BACK} />}
          />
        </div>
      </Panel>
    </>
  );
}

function EditPlan({ plan, onReload }: { plan: DrPlan; onReload: () => void }) {
  const t = useT();
  const update = useUpdatePlan(plan.id);
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => planDraft(plan));
  const stale = isApiError(update.error, 'stale');
  return (
    <Panel>
      <div className="stack-sm">
        {stale ? (
          <StaleAlert
            what={t('dr.form.what')}
            onReload={() => {
              update.reset();
              onReload();
            }}
          />
        ) : (
          <FormError error={update.error} title={t('dr.notSaved')} />
        )}
        <PlanForm
          draft={draft}
          set={setDraft}
          error={stale ? null : update.error}
          label={t('dr.editName', { name: plan.name })}
          plan={plan}
          onSubmit={() =>
            update.mutate(
              { patch: planBody(draft), version: plan.version },
              {
                onSuccess: (p) =>
                  void navigate(planPath(p.id), {
                    state: { notice: t('dr.form.savedNeedsCheck') },
                  }),
              },
            )
          }
          actions={
            <FormActions submit={t('dr.form.save')} busy={update.isPending} cancelTo={planPath(plan.id)} />
          }
        />
      </div>
    </Panel>
  );
}

/** Editing a plan at the version it was read. */
export function EditPlanPage() {
  const t = useT();
  const { id = '' } = useParams();
  const q = usePlan(id);
  const [generation, setGeneration] = useState(0);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <>
        <PageHeader title={t('dr.form.editTitle')} back={back(t)} />
        <ErrorAlert error={q.error} title={t('dr.plan.notShown')} />
      </>
    );
  return (
    <>
      <PageHeader
        title={t('dr.editName', { name: q.data.name })}
        back={{ to: planPath(q.data.id), label: q.data.name }}
      />
      <EditPlan
        key={`${q.data.version}-${generation}`}
        plan={q.data}
        onReload={() => void q.refetch().then(() => setGeneration((g) => g + 1))}
      />
    </>
  );
}
