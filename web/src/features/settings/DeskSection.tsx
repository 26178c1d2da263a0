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

/** Reopening and closing: how long a requester may reopen a resolved ticket, and when it closes by itself. */
export function DeskSection() {
  const { value, save } = useServiceDesk();
  // here, not in the form: a save gives a new ETag, which remounts the form with the stored values
  const [notice, setNotice] = useState<string | null>(null);
  if (value.isPending) return <Loading />;
  if (value.isError) return <ErrorAlert error={value.error} title="The settings could not be loaded" />;
  return (
    <>
      <PageHeader
        title="Reopening and closing"
        description="What happens to a ticket after it is resolved."
      />
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
  const [reopen, setReopen] = useState(String(initial.reopenWindowDays));
  const [close, setClose] = useState(String(initial.autoCloseDays));
  const { bind, summary } = useFieldErrors(save.error);
  const stale = isApiError(save.error, 'stale');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    save.mutate(
      { body: { reopenWindowDays: Number(reopen), autoCloseDays: Number(close) }, etag },
      { onSuccess: () => setNotice('The reopen and close windows were saved.') },
    );
  };
  return (
    <Panel title="After a ticket is resolved">
      <form className="form" onSubmit={submit} noValidate aria-label="Reopening and closing">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        {stale ? (
          <StaleAlert
            what="setting"
            onReload={() => {
              save.reset();
              onReload();
            }}
          />
        ) : (
          <FormError error={summary} title="Not saved" />
        )}
        <div className="form-row">
          <TextField
            label="Reopen window (days)"
            hint="The requester may reopen a resolved ticket for this many days; 0 turns reopening off."
            type="number"
            inputMode="numeric"
            min={0}
            max={365}
            {...bind('reopenWindowDays', reopen, setReopen)}
          />
          <TextField
            label="Close automatically after (days)"
            hint="A resolved ticket nobody reopens closes by itself; never before the reopen window ends."
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            {...bind('autoCloseDays', close, setClose)}
          />
        </div>
        <FormActions submit="Save" busy={save.isPending} />
      </form>
    </Panel>
  );
}
