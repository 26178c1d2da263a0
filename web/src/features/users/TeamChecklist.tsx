import { CheckboxField, ErrorAlert, Loading } from '../../ui';
import { useAllTeams } from '../teams/api';

/** Checkboxes for the teams a user belongs to. */
export function TeamChecklist({
  value,
  onChange,
  error,
}: {
  value: readonly string[];
  onChange: (teamIds: string[]) => void;
  error?: string | undefined;
}) {
  const teams = useAllTeams();
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...value.filter((t) => t !== id), id] : value.filter((t) => t !== id));
  return (
    <fieldset className="field" aria-describedby={error !== undefined ? 'teams-error' : undefined}>
      <legend className="field-label">Teams</legend>
      {teams.isPending ? (
        <Loading label="Loading teams…" />
      ) : teams.isError ? (
        <ErrorAlert error={teams.error} />
      ) : teams.data.length === 0 ? (
        <span className="field-hint">No teams yet.</span>
      ) : (
        <div className="check-list">
          {teams.data.map((t) => (
            <CheckboxField
              key={t.id}
              label={t.name}
              checked={value.includes(t.id)}
              onChange={(e) => toggle(t.id, e.target.checked)}
            />
          ))}
        </div>
      )}
      {error !== undefined && (
        <span className="field-error" id="teams-error">
          {error}
        </span>
      )}
    </fieldset>
  );
}
