import { useState, type FormEvent } from 'react';
import type { CiClass, CiKind } from '@contracts';
import { isApiError } from '../../api/client';
import {
  Alert,
  Badge,
  Button,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  StaleAlert,
  TextField,
  binder,
} from '../../ui';
import { useClass, useCreateClass, useUpdateClass } from './adminApi';
import { useClasses } from './api';
import { FieldsEditor, fieldDrafts, fieldsOf, type FieldDraft } from './FieldsEditor';
import { useT } from '../../i18n';
import { KINDS, kindLabel } from './labels';
import './cmdb.css';

/** A new class: key, name, family and custom fields. */
function NewClassForm({ onDone }: { onDone: (c: CiClass) => void }) {
  const t = useT();
  const create = useCreateClass();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<CiKind>('computer');
  const [fields, setFields] = useState<FieldDraft[]>([]);
  const bind = binder(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { key: key.trim(), name: name.trim(), kind, fields: fieldsOf(fields) },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="form form-wide" onSubmit={submit} noValidate aria-label={t('cmdb.classes.new')}>
      <FormError error={create.error} title={t('cmdb.classes.notCreated')} />
      <div className="form-row">
        <TextField label={t('common.name')} maxLength={120} {...bind('name', name, setName)} />
        <TextField
          label={t('cmdb.classes.key')}
          hint={t('cmdb.classes.keyHint')}
          {...bind('key', key, setKey)}
        />
      </div>
      <SelectField
        label={t('cmdb.kind')}
        hint={t('cmdb.classes.kindHint')}
        {...bind('kind', kind, (v) => setKind(v))}
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {kindLabel(t, k)}
          </option>
        ))}
      </SelectField>
      <FieldsEditor fields={fields} onChange={setFields} error={create.error} />
      <FormActions submit={t('cmdb.classes.create')} busy={create.isPending} />
    </form>
  );
}

/** Editing a class's name and fields under its ETag. */
function EditClass({ classKey, onDone }: { classKey: string; onDone: () => void }) {
  const t = useT();
  const cls = useClass(classKey);
  if (cls.isPending) return <Loading />;
  if (cls.isError) return <ErrorAlert error={cls.error} title={t('cmdb.classes.notLoaded')} />;
  return (
    <EditClassForm
      key={cls.data.data.version}
      cls={cls.data.data}
      etag={cls.data.etag ?? `"v${cls.data.data.version}"`}
      onReload={() => void cls.refetch()}
      onDone={onDone}
    />
  );
}

function EditClassForm({
  cls,
  etag,
  onReload,
  onDone,
}: {
  cls: CiClass;
  etag: string;
  onReload: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const update = useUpdateClass(cls.key);
  const [name, setName] = useState(cls.name);
  const [fields, setFields] = useState(() => fieldDrafts(cls.fields));
  const bind = binder(update.error);
  const stale = isApiError(update.error, 'stale');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ patch: { name: name.trim(), fields: fieldsOf(fields) }, etag }, { onSuccess: onDone });
  };
  return (
    <form
      className="form form-wide"
      onSubmit={submit}
      noValidate
      aria-label={t('cmdb.classes.editLabel', { name: cls.name })}
    >
      {stale ? (
        <StaleAlert
          what={t('cmdb.classes.what')}
          onReload={() => {
            update.reset();
            onReload();
          }}
        />
      ) : (
        <FormError error={update.error} title={t('cmdb.notSaved')} />
      )}
      <p className="muted">
        {t('cmdb.classes.key')} <code>{cls.key}</code> · {kindLabel(t, cls.kind)}
        {cls.builtin && ` · ${t('cmdb.classes.builtinLower')}`}
      </p>
      <TextField label={t('common.name')} maxLength={120} {...bind('name', name, setName)} />
      <FieldsEditor fields={fields} onChange={setFields} error={update.error} />
      <FormActions submit={t('cmdb.classes.save')} busy={update.isPending}>
        <Button variant="ghost" onClick={onDone}>
          {t('common.cancel')}
        </Button>
      </FormActions>
    </form>
  );
}

/** Item classes (admins): the list, a new class with custom fields, and editing a class's fields. */
export function ClassesPage() {
  const t = useT();
  const classes = useClasses();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title={t('cmdb.classes.title')}
        back={{ to: '/inventory', label: t('cmdb.inventory') }}
        description={t('cmdb.classes.about')}
        actions={
          !creating && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              {t('cmdb.classes.new')}
            </Button>
          )
        }
      />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        {creating && (
          <Panel title={t('cmdb.classes.new')}>
            <NewClassForm
              onDone={(c) => {
                setCreating(false);
                setNotice(t('cmdb.classes.created', { name: c.name }));
              }}
            />
          </Panel>
        )}
        {editing !== null && (
          <Panel title={t('cmdb.classes.edit')}>
            <EditClass
              classKey={editing}
              onDone={() => {
                setEditing(null);
                setNotice(t('cmdb.classes.saved'));
              }}
            />
          </Panel>
        )}
        <Panel title={t('cmdb.classes')} padded={false}>
          {classes.isPending ? (
            <Loading />
          ) : classes.isError ? (
            <div className="panel-body">
              <ErrorAlert error={classes.error} title={t('cmdb.classesNotLoaded')} />
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label={t('cmdb.classes')}>
                <thead>
                  <tr>
                    <th scope="col">{t('common.name')}</th>
                    <th scope="col">{t('cmdb.kind')}</th>
                    <th scope="col" className="hide-narrow">
                      {t('cmdb.fields.custom')}
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">{t('cmdb.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {classes.data.map((c) => (
                    <tr key={c.key}>
                      <td className="cell-title">
                        {c.name} <span className="muted mono">{c.key}</span>{' '}
                        {c.builtin && <Badge>{t('cmdb.classes.builtin')}</Badge>}
                      </td>
                      <td>{kindLabel(t, c.kind)}</td>
                      <td className="hide-narrow">
                        {c.fields.length === 0 ? '—' : c.fields.map((f) => f.label).join(', ')}
                      </td>
                      <td>
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={t('cmdb.classes.editName', { name: c.name })}
                          onClick={() => {
                            setNotice(null);
                            setEditing(c.key);
                          }}
                        >
                          {t('common.edit')}
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </div>
    </>
  );
}
