import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { DrPlan } from '@contracts';
import { isApiError } from '../../api/client';
import { ErrorAlert, FormActions, FormError, Loading, PageHeader, Panel, StaleAlert } from '../../ui';
import { planPath, useCreatePlan, usePlan, useUpdatePlan } from './api';
import { planBody, planDraft } from './drafts';
import { PlanForm } from './PlanForm';
import './dr.css';

const back = { to: '/dr/plans', label: 'Disaster recovery' };

/** A new plan; then its page. */
export function NewPlanPage() {
  const create = useCreatePlan();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => planDraft());
  return (
    <>
      <PageHeader title="New recovery plan" back={back} />
      <Panel>
        <div className="stack-sm">
          <FormError error={create.error} title="The plan was not created" />
          <PlanForm
            draft={draft}
            set={setDraft}
            error={create.error}
            label="New recovery plan"
            onSubmit={() =>
              create.mutate(planBody(draft), {
                onSuccess: (p) =>
                  void navigate(planPath(p.id), { state: { notice: `${p.name} was created.` } }),
              })
            }
            actions={<FormActions submit="Create plan" busy={create.isPending} cancelTo={back.to} />}
          />
        </div>
      </Panel>
    </>
  );
}

function EditPlan({ plan, onReload }: { plan: DrPlan; onReload: () => void }) {
  const update = useUpdatePlan(plan.id);
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => planDraft(plan));
  const stale = isApiError(update.error, 'stale');
  return (
    <Panel>
      <div className="stack-sm">
        {stale ? (
          <StaleAlert
            what="plan"
            onReload={() => {
              update.reset();
              onReload();
            }}
          />
        ) : (
          <FormError error={update.error} title="Not saved" />
        )}
        <PlanForm
          draft={draft}
          set={setDraft}
          error={stale ? null : update.error}
          label={`Edit ${plan.name}`}
          plan={plan}
          onSubmit={() =>
            update.mutate(
              { patch: planBody(draft), version: plan.version },
              {
                onSuccess: (p) =>
                  void navigate(planPath(p.id), {
                    state: { notice: 'Changes saved: the plan needs verification.' },
                  }),
              },
            )
          }
          actions={<FormActions submit="Save plan" busy={update.isPending} cancelTo={planPath(plan.id)} />}
        />
      </div>
    </Panel>
  );
}

/** Editing a plan at the version it was read. */
export function EditPlanPage() {
  const { id = '' } = useParams();
  const q = usePlan(id);
  const [generation, setGeneration] = useState(0);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <>
        <PageHeader title="Edit recovery plan" back={back} />
        <ErrorAlert error={q.error} title="The plan cannot be shown" />
      </>
    );
  return (
    <>
      <PageHeader title={`Edit ${q.data.name}`} back={{ to: planPath(q.data.id), label: q.data.name }} />
      <EditPlan
        key={`${q.data.version}-${generation}`}
        plan={q.data}
        onReload={() => void q.refetch().then(() => setGeneration((g) => g + 1))}
      />
    </>
  );
}
