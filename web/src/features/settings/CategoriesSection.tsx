import { useState, type FormEvent } from 'react';
import type { Category } from '@contracts';
import { isApiError } from '../../api/client';
import {
  Alert,
  Button,
  ConfirmButton,
  Empty,
  ErrorAlert,
  FormActions,
  FormError,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  StaleAlert,
  TextField,
  useFieldErrors,
} from '../../ui';
import { flattenTree } from '../tickets/categoryTree';
import { useCategoryAdmin } from './api';
import { CategoryOptions } from './CategoryOptions';

type Admin = ReturnType<typeof useCategoryAdmin>;

/** A name, description and parent: used to add a category and to edit one. */
function CategoryForm({
  label,
  initial,
  categories,
  except,
  submit,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  label: string;
  initial: { name: string; description: string; parentId: string };
  categories: readonly Category[];
  except?: string;
  submit: string;
  busy: boolean;
  error: unknown;
  onSubmit: (v: { name: string; description: string; parentId: string }) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [parentId, setParentId] = useState(initial.parentId);
  const { bind, summary } = useFieldErrors(error);
  const send = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ name: name.trim(), description: description.trim(), parentId });
  };
  return (
    <form className="form" onSubmit={send} noValidate aria-label={label}>
      <FormError error={summary} title="Not saved" />
      <div className="form-row">
        <TextField label="Name" maxLength={120} {...bind('name', name, setName)} />
        <SelectField label="Inside" {...bind('parentId', parentId, setParentId)}>
          <option value="">Top level</option>
          <CategoryOptions categories={categories} except={except} />
        </SelectField>
      </div>
      <TextField label="Description" hint="Optional" {...bind('description', description, setDescription)} />
      <FormActions submit={submit} busy={busy}>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </FormActions>
    </form>
  );
}

/** One category in the tree: its name, and Edit / Delete. */
function CategoryRow({
  category,
  depth,
  categories,
  admin,
}: {
  category: Category;
  depth: number;
  categories: readonly Category[];
  admin: Admin;
}) {
  const [editing, setEditing] = useState(false);
  const { update, remove } = admin;
  const mine = (v: unknown) => (v as { item?: Category } | undefined)?.item?.id === category.id;
  const updateError = mine(update.variables) ? update.error : null;
  const removeError = remove.variables?.id === category.id ? remove.error : null;
  if (editing) {
    return (
      <li style={{ paddingLeft: `${1 + depth * 1.25}rem` }}>
        {isApiError(updateError, 'stale') ? (
          <StaleAlert what="category" onReload={() => update.reset()} />
        ) : null}
        <CategoryForm
          label={`Edit ${category.name}`}
          initial={{
            name: category.name,
            description: category.description,
            parentId: category.parentId ?? '',
          }}
          categories={categories}
          except={category.id}
          submit="Save category"
          busy={update.isPending}
          error={isApiError(updateError, 'stale') ? null : updateError}
          onCancel={() => setEditing(false)}
          onSubmit={(v) =>
            update.mutate(
              {
                item: category,
                patch: {
                  name: v.name,
                  description: v.description,
                  parentId: v.parentId === '' ? null : v.parentId,
                },
              },
              { onSuccess: () => setEditing(false) },
            )
          }
        />
      </li>
    );
  }
  return (
    <li style={{ paddingLeft: `${1 + depth * 1.25}rem` }}>
      <div className="rule-summary">
        <strong>{category.name}</strong>
        {category.description !== '' && <p className="muted">{category.description}</p>}
        {removeError !== null && (
          <ErrorAlert error={removeError} title={`${category.name} was not deleted`} />
        )}
      </div>
      <div className="button-row">
        <Button size="sm" onClick={() => setEditing(true)} aria-label={`Edit ${category.name}`}>
          Edit
        </Button>
        <ConfirmButton
          busy={remove.isPending && remove.variables?.id === category.id}
          confirmLabel="Click again to delete"
          onConfirm={() => remove.mutate(category)}
        >
          Delete
        </ConfirmButton>
      </div>
    </li>
  );
}

/** Categories: the tree, a form to add one, and per category rename, move and delete. */
export function CategoriesSection() {
  const admin = useCategoryAdmin();
  const { list, create } = admin;
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorAlert error={list.error} title="The categories could not be loaded" />;
  const tree = flattenTree(list.data);
  return (
    <>
      <PageHeader
        title="Categories"
        description="Tickets are filed under these. A category in use cannot be deleted."
      />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        <Panel title="Add a category">
          <CategoryForm
            key={formKey}
            label="Add a category"
            initial={{ name: '', description: '', parentId: '' }}
            categories={list.data}
            submit="Add category"
            busy={create.isPending}
            error={create.error}
            onSubmit={(v) =>
              create.mutate(
                {
                  name: v.name,
                  description: v.description,
                  ...(v.parentId !== '' ? { parentId: v.parentId } : {}),
                },
                {
                  onSuccess: (c) => {
                    setNotice(`${c.name} was added.`);
                    setFormKey((k) => k + 1);
                  },
                },
              )
            }
          />
        </Panel>
        <Panel title="Category tree" padded={false}>
          {tree.length === 0 ? (
            <Empty>No categories yet.</Empty>
          ) : (
            <ul className="rule-list" aria-label="Category tree">
              {tree.map(({ category, depth }) => (
                <CategoryRow
                  key={`${category.id}:${category.version}`}
                  category={category}
                  depth={depth}
                  categories={list.data}
                  admin={admin}
                />
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </>
  );
}
