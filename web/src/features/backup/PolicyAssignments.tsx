import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { BackupPolicy, PolicyScope } from '@contracts';
import { Button, Empty, ErrorAlert, Loading, Panel, SelectField, TextField, useDebounced } from '../../ui';
import { useCiSearch, useClasses, useLocations } from '../cmdb/api';
import { itemPath } from '../cmdb/parts';
import { useAllTeams } from '../teams/api';
import { useAssignPolicy, usePolicyCoverage, useUnassignPolicy } from './api';
import { SCOPE_LABEL } from './labels';

const SCOPES: PolicyScope[] = ['item', 'location', 'team', 'class'];

/** Picking a computer by name, tag or serial. */
function ComputerPicker({ onPick, busy }: { onPick: (id: string) => void; busy: boolean }) {
  const [q, setQ] = useState('');
  const found = useCiSearch(useDebounced(q.trim()), { kind: 'computer' });
  return (
    <div className="stack-sm">
      <TextField
        label="Find a computer"
        type="search"
        placeholder="Name, asset tag or serial"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {found.data !== undefined && q.trim().length >= 2 && (
        <ul className="pick-results" aria-label="Computers found">
          {found.data.length === 0 && <li className="muted">No computer matches.</li>}
          {found.data.map((c) => (
            <li key={c.id}>
              <span>{c.name}</span>
              <Button size="sm" busy={busy} aria-label={`Assign to ${c.name}`} onClick={() => onPick(c.id)}>
                Assign
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
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
  const locations = useLocations();
  const teams = useAllTeams();
  const classes = useClasses();
  const [ref, setRef] = useState('');
  const options =
    scope === 'location'
      ? (locations.data ?? []).map((l) => ({ value: l.id, label: l.name }))
      : scope === 'team'
        ? (teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))
        : (classes.data ?? [])
            .filter((c) => c.kind === 'computer')
            .map((c) => ({ value: c.key, label: c.name }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ref !== '') onPick(ref);
  };
  return (
    <form
      className="form-row"
      onSubmit={submit}
      aria-label={`Assign to a ${SCOPE_LABEL[scope].toLowerCase()}`}
    >
      <SelectField label={SCOPE_LABEL[scope]} value={ref} onChange={(e) => setRef(e.target.value)}>
        <option value="">Choose…</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </SelectField>
      <div className="form-actions">
        <Button type="submit" busy={busy} disabled={ref === ''}>
          Assign
        </Button>
      </div>
    </form>
  );
}

/** What a policy is assigned to, with removal, and adding a computer, location, team or class. */
export function AssignmentsPanel({ policy }: { policy: BackupPolicy }) {
  const assign = useAssignPolicy(policy.id);
  const unassign = useUnassignPolicy(policy.id);
  const [scope, setScope] = useState<PolicyScope>('class');
  const pick = (ref: string) => assign.mutate({ scope, ref });
  return (
    <Panel title="Assigned to">
      <div className="stack-sm">
        <ErrorAlert error={assign.error} title="Not assigned" />
        <ErrorAlert error={unassign.error} title="Not removed" />
        {policy.assignments.length === 0 ? (
          <p className="muted">Nothing yet: the policy covers no computer.</p>
        ) : (
          <ul className="pick-results" aria-label="Assignments">
            {policy.assignments.map((a) => (
              <li key={a.id}>
                <span>
                  {SCOPE_LABEL[a.scope]}: <strong>{a.label}</strong>
                </span>
                <Button
                  size="sm"
                  variant="ghost"
                  busy={unassign.isPending && unassign.variables === a.id}
                  aria-label={`Remove ${SCOPE_LABEL[a.scope].toLowerCase()} ${a.label}`}
                  onClick={() => unassign.mutate(a.id)}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
        <SelectField
          label="Assign to a"
          value={scope}
          onChange={(e) => setScope(e.target.value as PolicyScope)}
        >
          {SCOPES.map((s) => (
            <option key={s} value={s}>
              {SCOPE_LABEL[s]}
            </option>
          ))}
        </SelectField>
        {scope === 'item' ? (
          <ComputerPicker onPick={pick} busy={assign.isPending} />
        ) : (
          <ListPicker key={scope} scope={scope} onPick={pick} busy={assign.isPending} />
        )}
        <p className="field-hint">
          A computer takes the most specific policy that names it: its own, then its location’s, its team’s,
          its class’s. Assigning replaces the policy that computer, location, team or class had.
        </p>
      </div>
    </Panel>
  );
}

/** Which computers the policy covers now, and through which assignment. */
export function CoveragePanel({ id }: { id: string }) {
  const devices = usePolicyCoverage(id);
  return (
    <Panel title="Which devices">
      {devices.isPending ? (
        <Loading />
      ) : devices.isError ? (
        <ErrorAlert error={devices.error} title="The preview could not be loaded" />
      ) : devices.data.length === 0 ? (
        <Empty>No computer takes this policy now.</Empty>
      ) : (
        <ul className="pick-results" aria-label="Devices covered">
          {devices.data.map((d) => (
            <li key={d.ciId}>
              <Link to={itemPath(d.ciId)}>{d.name}</Link>
              <span className="muted">
                by {SCOPE_LABEL[d.via].toLowerCase()} {d.via === 'item' ? '' : d.viaLabel}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
