import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorAlert, FormActions, Loading, PageHeader, Panel } from '../../ui';
import { useClasses, useCreateCi } from './api';
import { createBody, emptyDraft } from './draft';
import { ItemForm } from './ItemForm';
import { itemPath } from './parts';
import './cmdb.css';

/** A new inventory item: pick its class, fill in the standard and the class's own fields. */
export function NewItemPage() {
  const [params] = useSearchParams();
  const classes = useClasses();
  const create = useCreateCi();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => emptyDraft(params.get('class') ?? ''));
  const back = { to: '/inventory', label: 'Inventory' };
  if (classes.isPending) return <Loading />;
  if (classes.isError) {
    return (
      <>
        <PageHeader title="New item" back={back} />
        <ErrorAlert error={classes.error} title="The classes could not be loaded" />
      </>
    );
  }
  const cls = classes.data.find((c) => c.key === draft.classKey);
  return (
    <>
      <PageHeader
        title="New item"
        back={back}
        description="Add a device, software, service or record to the inventory."
      />
      <Panel>
        <ItemForm
          draft={draft}
          onChange={setDraft}
          classes={classes.data}
          error={create.error}
          label="New item"
          pickClass
          onSubmit={() =>
            create.mutate(createBody(draft, cls), {
              onSuccess: (ci) =>
                void navigate(itemPath(ci.id), { state: { notice: `${ci.name} was added.` } }),
            })
          }
          actions={<FormActions submit="Create item" busy={create.isPending} cancelTo="/inventory" />}
        />
      </Panel>
    </>
  );
}
