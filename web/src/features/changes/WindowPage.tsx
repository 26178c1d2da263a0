import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useT } from '../../i18n';
import { Alert, ConfirmButton, ErrorAlert, Loading, PageHeader, Panel, StaleAlert } from '../../ui';
import { windows } from './adminApi';
import { instant } from './parts';
import { WindowForm, type WindowDraft, windowDraftOf } from './WindowForm';

const LIST = '/changes/windows';

/** A new maintenance window or blackout (`?kind=` picks which the form starts with). */
export function NewWindowPage() {
  const t = useT();
  const [params] = useSearchParams();
  const create = windows.useCreate();
  const navigate = useNavigate();
  const kind = params.get('kind') === 'maintenance' ? 'maintenance' : 'blackout';
  const save = (d: WindowDraft) =>
    create.mutate(
      {
        kind: d.kind,
        name: d.name,
        ciId: d.ci?.id ?? null,
        startsAt: instant(d.start) ?? '',
        endsAt: instant(d.end) ?? '',
      },
      {
        onSuccess: (w) =>
          void navigate(LIST, { state: { notice: t('changes.windowCreated', { name: w.name }) } }),
      },
    );
  return (
    <>
      <PageHeader
        title={kind === 'blackout' ? t('changes.newBlackout') : t('changes.newMaintenance')}
        back={{ to: LIST, label: t('changes.windows') }}
      />
      <Panel>
        <WindowForm
          initial={windowDraftOf(undefined, kind)}
          isNew
          submitLabel={t('changes.createWindow')}
          errorTitle={t('changes.windowNotCreated')}
          busy={create.isPending}
          error={create.error}
          onSubmit={save}
        />
      </Panel>
    </>
  );
}

/** Editing a window's name and times under its version, and deleting it. */
export function WindowPage() {
  const t = useT();
  const { id = '' } = useParams();
  const one = windows.useOne(id);
  const update = windows.useUpdate(id);
  const remove = windows.useRemove(id);
  const navigate = useNavigate();
  const [saved, setSaved] = useState(false);
  const back = { to: LIST, label: t('changes.windows') };
  if (one.isPending) return <Loading />;
  if (one.isError)
    return (
      <>
        <PageHeader title={t('changes.window')} back={back} />
        <ErrorAlert error={one.error} />
      </>
    );
  const { data, etag } = one.data;
  const save = (d: WindowDraft) => {
    setSaved(false);
    update.mutate(
      {
        patch: { name: d.name, startsAt: instant(d.start) ?? '', endsAt: instant(d.end) ?? '' },
        etag: etag ?? `"v${data.version}"`,
      },
      { onSuccess: () => setSaved(true) },
    );
  };
  return (
    <>
      <PageHeader
        title={data.name}
        description={data.kind === 'blackout' ? t('changes.blackout') : t('changes.maintenanceWindow')}
        back={back}
      />
      <div className="stack">
        {saved && <Alert tone="success">{t('common.saved')}</Alert>}
        {isApiError(update.error, 'stale') && (
          <StaleAlert
            what={t('changes.window')}
            onReload={() => {
              update.reset();
              void one.refetch();
            }}
          />
        )}
        <Panel>
          <WindowForm
            key={data.version}
            initial={windowDraftOf(data)}
            isNew={false}
            submitLabel={t('common.save')}
            errorTitle={t('changes.windowNotSaved')}
            busy={update.isPending}
            error={isApiError(update.error, 'stale') ? null : update.error}
            onSubmit={save}
          />
        </Panel>
        <Panel title={t('changes.deleteWindow')}>
          <div className="form">
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
                        state: { notice: t('changes.windowDeleted', { name: data.name }) },
                      }),
                  })
                }
              >
                {t('changes.deleteWindow')}
              </ConfirmButton>
            </div>
          </div>
        </Panel>
      </div>
    </>
  );
}
