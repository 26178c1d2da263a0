import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import {
  Alert,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  StaleAlert,
  TextField,
  useFieldErrors,
} from '../../ui';
import { useServiceDesk } from './api';
import { useT } from '../../i18n';

/** Reopening and closing: how long a requester may reopen a resolved ticket, and when it closes by itself. */
export function DeskSection() {
  const t = useT();
  const { value, save } = useServiceDesk();
  // here, not in the form: a save gives a new ETag, which remounts the form with the stored values
  const [notice, setNotice] = useState<string | null>(null);
  if (value.isPending) return <Loading />;
  if (value.isError) return <ErrorAlert error={value.error} title={t('desk.loadFailed')} />;
  return (
    <>
      <PageHeader title={t('settings.section.desk')} description={t('desk.description')} />
      <DeskForm
        key={value.data.etag ?? ''}
        initial={value.data.data}
        etag={value.data.etag ?? '"v0"'}
        save={save}
        notice={notice}
        setNotice={setNotice}
        onReload={() => void value.refetch()}
      />
    </>
  );
}

function DeskForm({
  initial,
  etag,
  save,
  notice,
  setNotice,
  onReload,
}: {
  initial: { reopenWindowDays: number; autoCloseDays: number };
  etag: string;
  save: ReturnType<typeof useServiceDesk>['save'];
  notice: string | null;
  setNotice: (notice: string | null) => void;
  onReload: () => void;
}) {
  const t = useT();
  const [reopen, setReopen] = useState(String(initial.reopenWindowDays));
  const [close, setClose] = useState(String(initial.autoCloseDays));
  const { bind, summary } = useFieldErrors(save.error);
  const stale = isApiError(save.error, 'stale');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    save.mutate(
      { body: { reopenWindowDays: Number(reopen), autoCloseDays: Number(close) }, etag },
      { onSuccess: () => setNotice(t('desk.saved')) },
    );
  };
  return (
    <Panel title={t('desk.panel')}>
      <form className="form" onSubmit={submit} noValidate aria-label={t('settings.section.desk')}>
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        {stale ? (
          <StaleAlert
            what={t('what.setting')}
            onReload={() => {
              save.reset();
              onReload();
            }}
          />
        ) : (
          <FormError error={summary} title={t('users.notSaved')} />
        )}
        <div className="form-row">
          <TextField
            label={t('desk.reopen')}
            hint={t('desk.reopenHint')}
            type="number"
            inputMode="numeric"
            min={0}
            max={365}
            {...bind('reopenWindowDays', reopen, setReopen)}
          />
          <TextField
            label={t('desk.close')}
            hint={t('desk.closeHint')}
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            {...bind('autoCloseDays', close, setClose)}
          />
        </div>
        <FormActions submit={t('common.save')} busy={save.isPending} />
      </form>
    </Panel>
  );
}
