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
import { KINDS, KIND_LABEL } from './labels';
import './cmdb.css';

/** A new class: key, name, family and custom fields. */
function NewClassForm({ onDone }: { onDone: (c: CiClass) => void }) {
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
    <form className="form form-wide" onSubmit={submit} noValidate aria-label="New class">
      <FormError error={create.error} title="The class was not created" />
      <div className="form-row">
        <TextField label="Name" maxLength={120} {...bind('name', name, setName)} />
        <TextField label="Key" hint="2–40 of a–z, 0–9, _; fixed once created" {...bind('key', key, setKey)} />
      </div>
      <SelectField
        label="Kind"
        hint="Relationship rules go by kind"
        {...bind('kind', kind, (v) => setKind(v))}
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABEL[k]}
          </option>
        ))}
      </SelectField>
      <FieldsEditor fields={fields} onChange={setFields} error={create.error} />
      <FormActions submit="Create class" busy={create.isPending} />
    </form>
  );
}

/** Editing a class's name and fields under its ETag. */
function EditClass({ classKey, onDone }: { classKey: string; onDone: () => void }) {
  const cls = useClass(classKey);
  if (cls.isPending) return <Loading />;
  if (cls.isError) return <ErrorAlert error={cls.error} title="The class could not be loaded" />;
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
    <form className="form form-wide" onSubmit={submit} noValidate aria-label={`Edit class ${cls.name}`}>
      {stale ? (
        <StaleAlert
          what="class"
          onReload={() => {
            update.reset();
            onReload();
          }}
        />
      ) : (
        <FormError error={update.error} title="Not saved" />
      )}
      <p className="muted">
        Key <code>{cls.key}</code> · {KIND_LABEL[cls.kind]}
        {cls.builtin && ' · built in'}
      </p>
      <TextField label="Name" maxLength={120} {...bind('name', name, setName)} />
      <FieldsEditor fields={fields} onChange={setFields} error={update.error} />
      <FormActions submit="Save class" busy={update.isPending}>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </FormActions>
    </form>
  );
}

/** Item classes (admins): the list, a new class with custom fields, and editing a class's fields. */
export function ClassesPage() {
  const classes = useClasses();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <PageHeader
        title="Item classes"
        back={{ to: '/inventory', label: 'Inventory' }}
        description="What kinds of item the inventory holds, and the typed fields each carries."
        actions={
          !creating && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New class
            </Button>
          )
        }
      />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        {creating && (
          <Panel title="New class">
            <NewClassForm
              onDone={(c) => {
                setCreating(false);
                setNotice(`The class ${c.name} was created.`);
              }}
            />
          </Panel>
        )}
        {editing !== null && (
          <Panel title="Edit class">
            <EditClass
              classKey={editing}
              onDone={() => {
                setEditing(null);
                setNotice('Class saved.');
              }}
            />
          </Panel>
        )}
        <Panel title="Classes" padded={false}>
          {classes.isPending ? (
            <Loading />
          ) : classes.isError ? (
            <div className="panel-body">
              <ErrorAlert error={classes.error} title="The classes could not be loaded" />
            </div>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Classes">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col" className="hide-narrow">
                      Custom fields
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {classes.data.map((c) => (
                    <tr key={c.key}>
                      <td className="cell-title">
                        {c.name} <span className="muted mono">{c.key}</span>{' '}
                        {c.builtin && <Badge>Built in</Badge>}
                      </td>
                      <td>{KIND_LABEL[c.kind]}</td>
                      <td className="hide-narrow">
                        {c.fields.length === 0 ? '—' : c.fields.map((f) => f.label).join(', ')}
                      </td>
                      <td>
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`Edit ${c.name}`}
                          onClick={() => {
                            setNotice(null);
                            setEditing(c.key);
                          }}
                        >
                          Edit
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
