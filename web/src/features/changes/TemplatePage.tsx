import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useT } from '../../i18n';
import { Alert, ConfirmButton, ErrorAlert, Loading, PageHeader, Panel, StaleAlert } from '../../ui';
import { templates } from './adminApi';
import { TemplateForm, type TemplateDraft, draftOf, questionsOf } from './TemplateForm';

const LIST = '/changes/templates';

/** A new change template. */
export function NewTemplatePage() {
  const t = useT();
  const create = templates.useCreate();
  const navigate = useNavigate();
  const save = (d: TemplateDraft) =>
    create.mutate(
      { ...d, questions: questionsOf(d) },
      {
        onSuccess: (x) =>
          void navigate(LIST, { state: { notice: t('changes.templateCreated', { name: x.name }) } }),
      },
    );
  return (
    <>
      <PageHeader title={t('changes.newTemplate')} back={{ to: LIST, label: t('changes.templates') }} />
      <Panel>
        <TemplateForm
          initial={draftOf()}
          isNew
          submitLabel={t('changes.createTemplate')}
          errorTitle={t('changes.templateNotCreated')}
          busy={create.isPending}
          error={create.error}
          onSubmit={save}
        />
      </Panel>
    </>
  );
}

/** Editing one template under its version, and deleting it. */
export function TemplatePage() {
  const t = useT();
  const { id = '' } = useParams();
  const one = templates.useOne(id);
  const update = templates.useUpdate(id);
  const remove = templates.useRemove(id);
  const navigate = useNavigate();
  const [saved, setSaved] = useState(false);
  const back = { to: LIST, label: t('changes.templates') };
  if (one.isPending) return <Loading />;
  if (one.isError)
    return (
      <>
        <PageHeader title={t('changes.template')} back={back} />
        <ErrorAlert error={one.error} />
      </>
    );
  const { data, etag } = one.data;
  const save = (d: TemplateDraft) => {
    setSaved(false);
    const { type: _, ...patch } = d;
    update.mutate(
      { patch: { ...patch, questions: questionsOf(d) }, etag: etag ?? `"v${data.version}"` },
      { onSuccess: () => setSaved(true) },
    );
  };
  return (
    <>
      <PageHeader title={data.name} back={back} />
      <div className="stack">
        {saved && <Alert tone="success">{t('common.saved')}</Alert>}
        {isApiError(update.error, 'stale') && (
          <StaleAlert
            what={t('changes.template')}
            onReload={() => {
              update.reset();
              void one.refetch();
            }}
          />
        )}
        <Panel>
          <TemplateForm
            key={data.version}
            initial={draftOf(data)}
            isNew={false}
            submitLabel={t('common.save')}
            errorTitle={t('changes.templateNotSaved')}
            busy={update.isPending}
            error={isApiError(update.error, 'stale') ? null : update.error}
            onSubmit={save}
          />
        </Panel>
        <Panel title={t('changes.deleteTemplate')}>
          <div className="form">
            <p className="muted">{t('changes.deleteTemplateBody')}</p>
            <ErrorAlert error={remove.error} />
            <div className="form-actions">
              <ConfirmButton
                size="md"
                busy={remove.isPending}
                confirmLabel={t('changes.confirmDelete')}
                onConfirm={() =>
                  remove.mutate(undefined, {
                    onSuccess: () =>
                      void navigate(LIST, {
                        state: { notice: t('changes.templateDeleted', { name: data.name }) },
                      }),
                  })
                }
              >
                {t('changes.deleteTemplate')}
              </ConfirmButton>
            </div>
          </div>
        </Panel>
      </div>
    </>
  );
}
