import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorAlert, FormActions, Loading, PageHeader, Panel } from '../../ui';
import { useClasses, useCreateCi } from './api';
import { createBody, emptyDraft } from './draft';
import { ItemForm } from './ItemForm';
import { itemPath } from './parts';
import { useT } from '../../i18n';
import './cmdb.css';

/** A new inventory item: pick its class, fill in the standard and the class's own fields. */
export function NewItemPage() {
  const t = useT();
  const [params] = useSearchParams();
  const classes = useClasses();
  const create = useCreateCi();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => emptyDraft(params.get('class') ?? ''));
  const back = { to: '/inventory', label: t('cmdb.inventory') };
  if (classes.isPending) return <Loading />;
  if (classes.isError) {
    return (
      <>
        <PageHeader title={t('cmdb.newItem')} back={back} />
        <ErrorAlert error={classes.error} title={t('cmdb.classesNotLoaded')} />
      </>
    );
  }
  const cls = classes.data.find((c) => c.key === draft.classKey);
  return (
    <>
      <PageHeader title={t('cmdb.newItem')} back={back} description={t('cmdb.newItemAbout')} />
      <Panel>
        <ItemForm
          draft={draft}
          onChange={setDraft}
          classes={classes.data}
          error={create.error}
          label={t('cmdb.newItem')}
          pickClass
          onSubmit={() =>
            create.mutate(createBody(draft, cls), {
              onSuccess: (ci) =>
                void navigate(itemPath(ci.id), { state: { notice: t('cmdb.added', { name: ci.name }) } }),
            })
          }
          actions={
            <FormActions submit={t('cmdb.createItem')} busy={create.isPending} cancelTo="/inventory" />
          }
        />
      </Panel>
    </>
  );
}
