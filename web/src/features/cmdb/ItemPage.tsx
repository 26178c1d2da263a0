import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { Ci, CiClass } from '@contracts';
import { isApiError } from '../../api/client';
import {
  Alert,
  Button,
  ConfirmButton,
  ErrorAlert,
  FormActions,
  Loading,
  Notice,
  PageHeader,
  Panel,
  StaleAlert,
  formatDate,
  formatDateTime,
} from '../../ui';
import { useCurrentUser } from '../auth/session';
import { DeviceBackupsPanel } from '../backup/DevicePanel';
import { TeamName, UserName } from '../tickets/parts';
import { useCi, useClasses, useDeleteCi, useUpdateCi } from './api';
import { draftOf, updateBody } from './draft';
import { HistoryPanel } from './HistoryPanel';
import { ImpactPanel } from './ImpactPanel';
import { ItemForm } from './ItemForm';
import { CiStatusBadge, ClassName, ItemLink } from './parts';
import { RelationshipsPanel, TicketsPanel } from './RelationshipsPanel';
import { SoftwareTab } from './SoftwareTab';
import { ServiceBackupsPanel } from './ServiceBackupsPanel';
import { VaultPanel } from '../vault/VaultPanel';
import './cmdb.css';

const back = { to: '/inventory', label: 'Inventory' };

/** A custom value as text. */
function shown(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return String(v);
}

/** An item's fields, read-only. */
function Facts({ ci, cls }: { ci: Ci; cls: CiClass | undefined }) {
  return (
    <dl className="facts facts-wide">
      <dt>Class</dt>
      <dd>
        <ClassName classKey={ci.classKey} />
      </dd>
      <dt>Asset tag</dt>
      <dd className="mono">{ci.assetTag ?? '—'}</dd>
      <dt>Serial number</dt>
      <dd className="mono">{ci.serial ?? '—'}</dd>
      <dt>Manufacturer</dt>
      <dd>{ci.manufacturer ?? '—'}</dd>
      <dt>Model</dt>
      <dd>{ci.model ?? '—'}</dd>
      <dt>Owner</dt>
      <dd>
        <UserName id={ci.ownerId} />
      </dd>
      <dt>Team</dt>
      <dd>
        <TeamName id={ci.teamId} />
      </dd>
      <dt>Location</dt>
      <dd>
        <ItemLink id={ci.locationId} />
      </dd>
      <dt>Purchase date</dt>
      <dd>{formatDate(ci.purchaseDate)}</dd>
      <dt>Cost</dt>
      <dd>{ci.cost ?? '—'}</dd>
      <dt>Warranty end</dt>
      <dd>{formatDate(ci.warrantyEnd)}</dd>
      {/* only the custom fields that hold a value: discovery's many fields stay out of a hand-made item's way */}
      {(cls?.fields ?? [])
        .filter((f) => shown(ci.custom[f.key]) !== '—')
        .map((f) => (
          <div key={f.key} className="facts-pair">
            <dt>{f.label}</dt>
            <dd>{shown(ci.custom[f.key])}</dd>
          </div>
        ))}
      <dt>Notes</dt>
      <dd className="pre-wrap">{ci.notes === '' ? '—' : ci.notes}</dd>
    </dl>
  );
}

/** The item's fields, with an editor sent under the ETag the page was read with (412 shows the stale alert). */
function DetailsPanel({
  ci,
  etag,
  classes,
  onReload,
}: {
  ci: Ci;
  etag: string;
  classes: readonly CiClass[];
  onReload: () => void;
}) {
  const [draft, setDraft] = useState<ReturnType<typeof draftOf> | null>(null);
  const [saved, setSaved] = useState(false);
  const update = useUpdateCi(ci.id);
  const cls = classes.find((c) => c.key === ci.classKey);
  const stale = isApiError(update.error, 'stale');
  const save = () => {
    if (draft === null) return;
    const patch = updateBody(ci, draft, cls);
    if (Object.keys(patch).length === 0) return setDraft(null);
    update.mutate(
      { patch, etag },
      {
        onSuccess: () => {
          setDraft(null);
          setSaved(true);
        },
      },
    );
  };
  return (
    <Panel
      title="Details"
      actions={
        draft === null && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setSaved(false);
              update.reset();
              setDraft(draftOf(ci));
            }}
          >
            Edit
          </Button>
        )
      }
    >
      <div className="stack-sm">
        {stale && (
          <StaleAlert
            what="item"
            onReload={() => {
              update.reset();
              setDraft(null);
              onReload();
            }}
          />
        )}
        {saved && draft === null && <Alert tone="success">Changes saved.</Alert>}
        {draft === null ? (
          <Facts ci={ci} cls={cls} />
        ) : (
          <ItemForm
            draft={draft}
            onChange={setDraft}
            classes={classes}
            error={stale ? null : update.error}
            label="Edit item"
            pickClass={false}
            onSubmit={save}
            actions={
              <FormActions submit="Save changes" busy={update.isPending}>
                <Button variant="ghost" onClick={() => setDraft(null)}>
                  Cancel
                </Button>
              </FormActions>
            }
          />
        )}
      </div>
    </Panel>
  );
}

/** Deleting an item: only once it is retired or disposed, as the server requires. */
function DeletePanel({ ci }: { ci: Ci }) {
  const remove = useDeleteCi(ci.id);
  const navigate = useNavigate();
  if (ci.status !== 'retired' && ci.status !== 'disposed') return null;
  return (
    <Panel title="Delete item">
      <div className="stack-sm">
        <p className="muted">
          A retired or disposed item can be deleted; its history stays in the audit log.
        </p>
        <ErrorAlert error={remove.error} title="The item was not deleted" />
        <div>
          <ConfirmButton
            busy={remove.isPending}
            confirmLabel="Click again to delete"
            onConfirm={() =>
              remove.mutate(undefined, {
                onSuccess: () =>
                  void navigate('/inventory', { state: { notice: `${ci.name} was deleted.` } }),
              })
            }
          >
            Delete item
          </ConfirmButton>
        </div>
      </div>
    </Panel>
  );
}

/** An item's page: its fields and editor, impact graph, history, relationships and open tickets. */
export function ItemPage() {
  const { id = '' } = useParams();
  const tab = useSearchParams()[0].get('tab');
  const q = useCi(id);
  const classes = useClasses();
  const user = useCurrentUser();
  if (q.isPending || classes.isPending) return <Loading />;
  if (q.isError || classes.isError) {
    const error = q.error ?? classes.error;
    return (
      <>
        <PageHeader title="Item" back={back} />
        <ErrorAlert
          error={error}
          title={isApiError(error, 'not_found') ? 'This item does not exist' : 'The item could not be loaded'}
        />
      </>
    );
  }
  const { data: ci, etag } = q.data;
  const kind = classes.data.find((c) => c.key === ci.classKey)?.kind;
  const computer = kind === 'computer';
  return (
    <>
      <PageHeader
        title={ci.name}
        back={back}
        description={
          <span className="meta">
            <CiStatusBadge status={ci.status} />
            <span>
              <ClassName classKey={ci.classKey} />
            </span>
            {ci.assetTag !== null && <span className="mono">{ci.assetTag}</span>}
            <span>Updated {formatDateTime(ci.updatedAt)}</span>
          </span>
        }
      />
      <Notice />
      {computer && <ItemTabs />}
      {computer && tab === 'software' ? (
        <SoftwareTab ciId={ci.id} key={ci.id} />
      ) : (
        // keyed by the item: going from one item to another starts every panel afresh
        <div className="ticket-layout item-layout" key={ci.id}>
          <div className="stack">
            <DetailsPanel
              ci={ci}
              etag={etag ?? `"v${ci.version}"`}
              classes={classes.data}
              onReload={() => void q.refetch()}
            />
            {kind === 'credential' && <VaultPanel ciId={ci.id} />}
            {computer && user.role === 'admin' && <DeviceBackupsPanel ciId={ci.id} />}
            <ImpactPanel id={ci.id} />
            <HistoryPanel id={ci.id} />
          </div>
          <aside className="stack" aria-label="Related">
            <RelationshipsPanel ci={ci} />
            <ServiceBackupsPanel ci={ci} classes={classes.data} />
            <TicketsPanel id={ci.id} />
            <DeletePanel ci={ci} />
          </aside>
        </div>
      )}
    </>
  );
}

/** A computer's page in two tabs: the item itself, and its software (often hundreds of programs). */
function ItemTabs() {
  const [params] = useSearchParams();
  const software = params.get('tab') === 'software';
  return (
    <nav className="tabs" aria-label="Item sections">
      <Link to="?" aria-current={software ? undefined : 'page'}>
        Overview
      </Link>
      <Link to="?tab=software" aria-current={software ? 'page' : undefined}>
        Software
      </Link>
    </nav>
  );
}
