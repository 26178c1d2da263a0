import { capitalise } from '../../ui';
import { ROLE_OPTIONS } from './api';

/** The `<option>`s of a role select, in increasing power. */
export function RoleOptions() {
  return ROLE_OPTIONS.map((r) => (
    <option key={r} value={r}>
      {capitalise(r)}
    </option>
  ));
}
