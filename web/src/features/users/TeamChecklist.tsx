import { CheckboxField, ErrorAlert, Loading } from '../../ui';
import { useAllTeams } from '../teams/api';
import { useT } from '../../i18n';

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
  const t = useT();
  const teams = useAllTeams();
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...value.filter((t) => t !== id), id] : value.filter((t) => t !== id));
  return (
    <fieldset className="field" aria-describedby={error !== undefined ? 'teams-error' : undefined}>
      <legend className="field-label">{t('users.teams')}</legend>
      {teams.isPending ? (
        <Loading label={t('users.loadingTeams')} />
      ) : teams.isError ? (
        <ErrorAlert error={teams.error} />
      ) : teams.data.length === 0 ? (
        <span className="field-hint">{t('users.noTeams')}</span>
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
