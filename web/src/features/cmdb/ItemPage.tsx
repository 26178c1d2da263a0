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
import { ItemExposurePanel } from '../exposure/ItemExposurePanel';
import { useT, type Translate } from '../../i18n';
import './cmdb.css';

const back = (t: Translate) => ({ to: '/inventory', label: t('cmdb.inventory') });

/** A custom value as text. */
function shown(t: Translate, v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  return String(v);
}

/** An item's fields, read-only. */
function Facts({ ci, cls }: { ci: Ci; cls: CiClass | undefined }) {
  const t = useT();
  return (
    <dl className="facts facts-wide">
      <dt>{t('cmdb.class')}</dt>
      <dd>
        <ClassName classKey={ci.classKey} />
      </dd>
      <dt>{t('cmdb.assetTag')}</dt>
      <dd className="mono">{ci.assetTag ?? '—'}</dd>
      <dt>{t('cmdb.serialNumber')}</dt>
      <dd className="mono">{ci.serial ?? '—'}</dd>
      <dt>{t('cmdb.manufacturer')}</dt>
      <dd>{ci.manufacturer ?? '—'}</dd>
      <dt>{t('cmdb.model')}</dt>
      <dd>{ci.model ?? '—'}</dd>
      <dt>{t('cmdb.owner')}</dt>
      <dd>
        <UserName id={ci.ownerId} />
      </dd>
      <dt>{t('cmdb.team')}</dt>
      <dd>
        <TeamName id={ci.teamId} />
      </dd>
      <dt>{t('cmdb.location')}</dt>
      <dd>
        <ItemLink id={ci.locationId} />
      </dd>
      <dt>{t('cmdb.purchaseDate')}</dt>
      <dd>{formatDate(ci.purchaseDate)}</dd>
      <dt>{t('cmdb.cost')}</dt>
      <dd>{ci.cost ?? '—'}</dd>
      <dt>{t('cmdb.warrantyEnd')}</dt>
      <dd>{formatDate(ci.warrantyEnd)}</dd>
      {/* only the custom fields that hold a value: discovery's many fields stay out of a hand-made item's way */}
      {(cls?.fields ?? [])
        .filter((f) => shown(t, ci.custom[f.key]) !== '—')
        .map((f) => (
          <div key={f.key} className="facts-pair">
            <dt>{f.label}</dt>
            <dd>{shown(t, ci.custom[f.key])}</dd>
          </div>
        ))}
      <dt>{t('cmdb.notes')}</dt>
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
  const t = useT();
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
      title={t('cmdb.details')}
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
            {t('common.edit')}
          </Button>
        )
      }
    >
      <div className="stack-sm">
        {stale && (
          <StaleAlert
            what={t('cmdb.item')}
            onReload={() => {
              update.reset();
              setDraft(null);
              onReload();
            }}
          />
        )}
        {saved && draft === null && <Alert tone="success">{t('cmdb.changesSaved')}</Alert>}
        {draft === null ? (
          <Facts ci={ci} cls={cls} />
        ) : (
          <ItemForm
            draft={draft}
            onChange={setDraft}
            classes={classes}
            error={stale ? null : update.error}
            label={t('cmdb.editItem')}
            pickClass={false}
            onSubmit={save}
            actions={
              <FormActions submit={t('cmdb.saveChanges')} busy={update.isPending}>
                <Button variant="ghost" onClick={() => setDraft(null)}>
                  {t('common.cancel')}
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
  const t = useT();
  const remove = useDeleteCi(ci.id);
  const navigate = useNavigate();
  if (ci.status !== 'retired' && ci.status !== 'disposed') return null;
  return (
    <Panel title={t('cmdb.deleteItem')}>
      <div className="stack-sm">
        <p className="muted">{t('cmdb.deleteAbout')}</p>
        <ErrorAlert error={remove.error} title={t('cmdb.notDeleted')} />
        <div>
          <ConfirmButton
            busy={remove.isPending}
            confirmLabel={t('cmdb.confirmDelete')}
            onConfirm={() =>
              remove.mutate(undefined, {
                onSuccess: () =>
                  void navigate('/inventory', { state: { notice: t('cmdb.deleted', { name: ci.name }) } }),
              })
            }
          >
            {t('cmdb.deleteItem')}
          </ConfirmButton>
        </div>
      </div>
    </Panel>
  );
}

/** An item's page: its fields and editor, impact graph, history, relationships and open tickets. */
export function ItemPage() {
  const t = useT();
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
        <PageHeader title={t('cmdb.itemTitle')} back={back(t)} />
        <ErrorAlert
          error={error}
          title={isApiError(error, 'not_found') ? t('cmdb.itemMissing') : t('cmdb.itemNotLoaded')}
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
        back={back(t)}
        description={
          <span className="meta">
            <CiStatusBadge status={ci.status} />
            <span>
              <ClassName classKey={ci.classKey} />
            </span>
            {ci.assetTag !== null && <span className="mono">{ci.assetTag}</span>}
            <span>{t('cmdb.updatedAt', { when: formatDateTime(ci.updatedAt) })}</span>
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
          <aside className="stack" aria-label={t('cmdb.related')}>
            {computer && <ItemExposurePanel ciId={ci.id} />}
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
  const t = useT();
  const [params] = useSearchParams();
  const software = params.get('tab') === 'software';
  return (
    <nav className="tabs" aria-label={t('cmdb.itemSections')}>
      <Link to="?" aria-current={software ? undefined : 'page'}>
        {t('cmdb.overview')}
      </Link>
      <Link to="?tab=software" aria-current={software ? 'page' : undefined}>
        {t('cmdb.software')}
      </Link>
    </nav>
  );
}
