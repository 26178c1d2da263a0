import { ROLE_OPTIONS } from './api';
import { useT } from '../../i18n';

/** The `<option>`s of a role select, in increasing power. */
export function RoleOptions() {
  const t = useT();
  return ROLE_OPTIONS.map((r) => (
    <option key={r} value={r}>
      {t(`role.${r}`)}
    </option>
  ));
}
