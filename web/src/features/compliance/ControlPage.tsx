import { useState } from 'react';
import { useParams } from 'react-router-dom';
import type { ComplianceControl } from '@contracts';
import { useCurrentUser } from '../auth/session';
import { useUserOptions } from '../users/api';
import { useT } from '../../i18n';
import {
  Alert,
  Button,
  ErrorAlert,
  Loading,
  PageHeader,
  Panel,
  SelectField,
  TextAreaField,
  TextField,
  formatDate,
  formatDateTime,
} from '../../ui';
import { frameworkPath, useCollect, useControl, useMarkReviewed, useUpdateControl } from './api';
import { EvidenceHistory, Mappings } from './ControlEvidence';
import { ApplicabilityBadge, StatusBadge } from './StatusBadge';

/** The statement of applicability, owner and review cycle of a control (managers edit them). */
function SoaPanel({ c }: { c: ComplianceControl }) {
  const t = useT();
  const save = useUpdateControl(c.id);
  const users = useUserOptions();
  const [applicable, setApplicable] = useState(c.applicable === null ? '' : String(c.applicable));
  const [justification, setJustification] = useState(c.justification);
  const [owner, setOwner] = useState(c.owner?.id ?? '');
  const [months, setMonths] = useState(c.reviewMonths === null ? '' : String(c.reviewMonths));
  if (!c.canManage)
    return (
      <Panel title={t('compliance.soa')}>
        <p>
          <ApplicabilityBadge applicable={c.applicable} /> {c.justification}
        </p>
        <p className="muted">{t('compliance.ownedBy', { name: c.owner?.name ?? '—' })}</p>
      </Panel>
    );
  const staff = (users.data ?? []).filter((u) => u.active && u.role !== 'requester');
  return (
    <Panel title={t('compliance.soa')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({
            version: c.version,
            applicable: applicable === '' ? null : applicable === 'true',
            justification,
            ownerId: owner === '' ? null : owner,
            reviewMonths: months === '' ? null : Number(months),
          });
        }}
      >
        <SelectField
          label={t('compliance.applicability')}
          value={applicable}
          onChange={(e) => setApplicable(e.target.value)}
        >
          <option value="">{t('compliance.undecided')}</option>
          <option value="true">{t('compliance.applicable')}</option>
          <option value="false">{t('compliance.excluded')}</option>
        </SelectField>
        <TextAreaField
          label={t('compliance.justification')}
          hint={t('compliance.justificationHint')}
          value={justification}
          onChange={(e) => setJustification(e.target.value)}
          rows={3}
        />
        <div className="form-row">
          <SelectField label={t('compliance.owner')} value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">{t('common.none')}</option>
            {staff.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label={t('compliance.reviewMonths')}
            type="number"
            min={1}
            max={36}
            value={months}
            onChange={(e) => setMonths(e.target.value)}
          />
        </div>
        <ErrorAlert error={save.error} title={t('compliance.saveFailed')} />
        {save.isSuccess && <p role="status">{t('common.saved')}</p>}
        <Button type="submit" variant="primary" busy={save.isPending}>
          {t('common.save')}
        </Button>
      </form>
    </Panel>
  );
}

/** One control: its text, status, statement of applicability, review, evidence queries and evidence. */
export function ControlPage() {
  const t = useT();
  const { id = '' } = useParams();
  const q = useControl(id);
  const collect = useCollect(id);
  const reviewed = useMarkReviewed(id);
  useCurrentUser();
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} title={t('compliance.loadFailed')} />;
  const c = q.data;
  return (
    <>
      <PageHeader
        title={`${c.ref} ${c.title}`}
        back={{ to: frameworkPath(c.frameworkId), label: c.frameworkName }}
        description={c.section}
        actions={
          c.mappings.length > 0 ? (
            <Button variant="primary" busy={collect.isPending} onClick={() => collect.mutate()}>
              {t('compliance.collectNow')}
            </Button>
          ) : undefined
        }
      />
      <ErrorAlert error={collect.error} title={t('compliance.collectFailed')} />
      <Panel>
        <p role="status" aria-label={t('compliance.evidenceStatus')}>
          <StatusBadge status={c.status} />{' '}
          {c.statusSince && (
            <span className="muted">{t('compliance.since', { when: formatDateTime(c.statusSince) })}</span>
          )}
        </p>
        {c.status === 'red' && (
          <Alert tone="error" title={t('compliance.redTitle')}>
            {t('compliance.redBody')}
          </Alert>
        )}
        {c.body && <p className="pre-wrap">{c.body}</p>}
      </Panel>
      <SoaPanel c={c} />
      <Panel title={t('compliance.review')}>
        <p>
          {c.nextReview
            ? t('compliance.nextReviewOn', { date: formatDate(c.nextReview), months: c.reviewMonths ?? 0 })
            : t('compliance.noReviewCycle')}
        </p>
        {c.reviewOverdue && <Alert tone="warning" title={t('compliance.reviewOverdue')} />}
        <ErrorAlert error={reviewed.error} title={t('compliance.saveFailed')} />
        {c.reviewMonths !== null && (
          <Button busy={reviewed.isPending} onClick={() => reviewed.mutate()}>
            {t('compliance.markReviewed')}
          </Button>
        )}
      </Panel>
      <Mappings c={c} />
      <EvidenceHistory id={c.id} />
    </>
  );
}
