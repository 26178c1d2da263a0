import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { BackupPolicy, PolicyScope } from '@contracts';
import { Button, Empty, ErrorAlert, ItemPicker, Loading, Panel, SelectField } from '../../ui';
import { useClasses, useLocations } from '../cmdb/api';
import { itemPath } from '../cmdb/parts';
import { useAllTeams } from '../teams/api';
import { useAssignPolicy, usePolicyCoverage, useUnassignPolicy } from './api';
import { useT } from '../../i18n';
import { scopeLabel } from './labels';

const SCOPES: PolicyScope[] = ['item', 'location', 'team', 'class'];

/** Picking a computer by name, tag or serial (the CMDB item picker, in the backup's words). */
function ComputerPicker({ onPick, busy }: { onPick: (id: string) => void; busy: boolean }) {
  const t = useT();
  return (
    <ItemPicker
      kind="computer"
      busy={busy}
      onPick={(c) => onPick(c.id)}
      words={{
        label: t('backup.assign.find'),
        placeholder: t('backup.assign.findPlaceholder'),
        results: t('backup.assign.found'),
        noMatch: t('backup.assign.noMatch'),
        button: t('backup.assign.assign'),
        buttonLabel: (name) => t('backup.assign.toName', { name }),
      }}
    />
  );
}

/** Picking a location, team or class from its list. */
function ListPicker({
  scope,
  onPick,
  busy,
}: {
  scope: 'location' | 'team' | 'class';
  onPick: (ref: string) => void;
  busy: boolean;
}) {
  const t = useT();
  const locations = useLocations();
  const teams = useAllTeams();
  const classes = useClasses();
  const [ref, setRef] = useState('');
  const options =
    scope === 'location'
      ? (locations.data ?? []).map((l) => ({ value: l.id, label: l.name }))
      : scope === 'team'
        ? (teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))
        : (classes.data ?? [])
            .filter((c) => c.kind === 'computer')
            .map((c) => ({ value: c.key, label: c.name }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ref !== '') onPick(ref);
  };
  return (
    <form className="form-row" onSubmit={submit} aria-label={t(`backup.assign.to.${scope}`)}>
      <SelectField label={scopeLabel(t, scope)} value={ref} onChange={(e) => setRef(e.target.value)}>
        <option value="">{t('backup.assign.choose')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </SelectField>
      <div className="form-actions">
        <Button type="submit" busy={busy} disabled={ref === ''}>
          {t('backup.assign.assign')}
        </Button>
      </div>
    </form>
  );
}

/** What a policy is assigned to, with removal, and adding a computer, location, team or class. */
export function AssignmentsPanel({ policy }: { policy: BackupPolicy }) {
  const t = useT();
  const assign = useAssignPolicy(policy.id);
  const unassign = useUnassignPolicy(policy.id);
  const [scope, setScope] = useState<PolicyScope>('class');
  const pick = (ref: string) => assign.mutate({ scope, ref });
  return (
    <Panel title={t('backup.assigned')}>
      <div className="stack-sm">
        <ErrorAlert error={assign.error} title={t('backup.assign.notAssigned')} />
        <ErrorAlert error={unassign.error} title={t('backup.assign.notRemoved')} />
        {policy.assignments.length === 0 ? (
          <p className="muted">{t('backup.assign.none')}</p>
        ) : (
          <ul className="pick-results" aria-label={t('backup.assign.list')}>
            {policy.assignments.map((a) => (
              <li key={a.id}>
                <span>
                  {scopeLabel(t, a.scope)}: <strong>{a.label}</strong>
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  busy={unassign.isPending && unassign.variables === a.id}
                  aria-label={t(`backup.assign.remove.${a.scope}`, { name: a.label })}
                  onClick={() => unassign.mutate(a.id)}
                >
                  {t('backup.assign.removeButton')}
                </Button>
              </li>
            ))}
          </ul>
        )}
        <SelectField
          label={t('backup.assign.toA')}
          value={scope}
          onChange={(e) => setScope(e.target.value as PolicyScope)}
        >
          {SCOPES.map((s) => (
            <option key={s} value={s}>
              {scopeLabel(t, s)}
            </option>
          ))}
        </SelectField>
        {scope === 'item' ? (
          <ComputerPicker onPick={pick} busy={assign.isPending} />
        ) : (
          <ListPicker key={scope} scope={scope} onPick={pick} busy={assign.isPending} />
        )}
        <p className="field-hint">{t('backup.assign.hint')}</p>
      </div>
    </Panel>
  );
}

/** Which computers the policy covers now, and through which assignment. */
export function CoveragePanel({ id }: { id: string }) {
  const t = useT();
  const devices = usePolicyCoverage(id);
  return (
    <Panel title={t('backup.coverage.title')}>
      {devices.isPending ? (
        <Loading />
      ) : devices.isError ? (
        <ErrorAlert error={devices.error} title={t('backup.coverage.notLoaded')} />
      ) : devices.data.length === 0 ? (
        <Empty>{t('backup.coverage.none')}</Empty>
      ) : (
        <ul className="pick-results" aria-label={t('backup.coverage.list')}>
          {devices.data.map((d) => (
            <li key={d.ciId}>
              <Link to={itemPath(d.ciId)}>{d.name}</Link>
              <span className="muted">{t(`backup.coverage.via.${d.via}`, { name: d.viaLabel })}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
