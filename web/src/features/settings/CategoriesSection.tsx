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
import { useT } from '../../i18n';

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
  const t = useT();
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
      <FormError error={summary} title={t('users.notSaved')} />
      <div className="form-row">
        <TextField label={t('common.name')} maxLength={120} {...bind('name', name, setName)} />
        <SelectField label={t('categories.inside')} {...bind('parentId', parentId, setParentId)}>
          <option value="">{t('categories.topLevel')}</option>
          <CategoryOptions categories={categories} except={except} />
        </SelectField>
      </div>
      <TextField
        label={t('categories.description')}
        hint={t('categories.optional')}
        {...bind('description', description, setDescription)}
      />
      <FormActions submit={submit} busy={busy}>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            {t('common.cancel')}
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
  const t = useT();
  const [editing, setEditing] = useState(false);
  const { update, remove } = admin;
  const mine = (v: unknown) => (v as { item?: Category } | undefined)?.item?.id === category.id;
  const updateError = mine(update.variables) ? update.error : null;
  const removeError = remove.variables?.id === category.id ? remove.error : null;
  if (editing) {
    return (
      <li style={{ paddingLeft: `${1 + depth * 1.25}rem` }}>
        {isApiError(updateError, 'stale') ? (
          <StaleAlert what={t('what.category')} onReload={() => update.reset()} />
        ) : null}
        <CategoryForm
          label={t('categories.edit', { name: category.name })}
          initial={{
            name: category.name,
            description: category.description,
            parentId: category.parentId ?? '',
          }}
          categories={categories}
          except={category.id}
          submit={t('categories.save')}
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
          <ErrorAlert error={removeError} title={t('categories.notDeleted', { name: category.name })} />
        )}
      </div>
      <div className="button-row">
        <Button
          size="sm"
          onClick={() => setEditing(true)}
          aria-label={t('categories.edit', { name: category.name })}
        >
          {t('common.edit')}
        </Button>
        <ConfirmButton
          busy={remove.isPending && remove.variables?.id === category.id}
          confirmLabel={t('settings.confirmDelete')}
          onConfirm={() => remove.mutate(category)}
        >
          {t('common.delete')}
        </ConfirmButton>
      </div>
    </li>
  );
}

/** Categories: the tree, a form to add one, and per category rename, move and delete. */
export function CategoriesSection() {
  const t = useT();
  const admin = useCategoryAdmin();
  const { list, create } = admin;
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorAlert error={list.error} title={t('categories.loadFailed')} />;
  const tree = flattenTree(list.data);
  return (
    <>
      <PageHeader title={t('settings.section.categories')} description={t('categories.about')} />
      <div className="stack">
        {notice !== null && <Alert tone="success">{notice}</Alert>}
        <Panel title={t('categories.addTitle')}>
          <CategoryForm
            key={formKey}
            label={t('categories.addTitle')}
            initial={{ name: '', description: '', parentId: '' }}
            categories={list.data}
            submit={t('categories.add')}
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
                    setNotice(t('settings.wasAdded', { name: c.name }));
                    setFormKey((k) => k + 1);
                  },
                },
              )
            }
          />
        </Panel>
        <Panel title={t('categories.tree')} padded={false}>
          {tree.length === 0 ? (
            <Empty>{t('categories.none')}</Empty>
          ) : (
            <ul className="rule-list" aria-label={t('categories.tree')}>
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
