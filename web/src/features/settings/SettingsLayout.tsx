import { Link, NavLink, Outlet } from 'react-router-dom';
import { PageHeader } from '../../ui';
import './settings.css';

/** The sections of the settings area, in the order they are listed. */
export const SECTIONS = [
  { path: 'categories', label: 'Categories', about: 'The tree people file tickets under.' },
  { path: 'priorities', label: 'Priority matrix', about: 'Which priority impact and urgency give.' },
  { path: 'sla', label: 'Service levels', about: 'Working hours, holidays and response targets.' },
  { path: 'routing', label: 'Routing rules', about: 'Which team or agent gets a new ticket.' },
  { path: 'assignment', label: 'Assignment', about: 'How teams share work, and who is away.' },
  { path: 'service-desk', label: 'Reopening and closing', about: 'How long resolved tickets stay open.' },
  { path: 'notifications', label: 'Notifications', about: 'The messages Steward sends.' },
  { path: 'mail', label: 'E-mail', about: 'The mail server Steward uses, with a test.' },
] as const;

/** The settings area: the list of sections beside (on phones, above) the open section. */
export function SettingsLayout() {
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label="Settings sections">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.path}>
              <NavLink to={`/settings/${s.path}`}>{s.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-body">
        <Outlet />
      </div>
    </div>
  );
}

/** /settings itself: what each section is for. */
export function SettingsIndex() {
  return (
    <>
      <PageHeader
        title="Settings"
        description="How the service desk works. Changes apply to new work at once."
      />
      <ul className="cards">
        {SECTIONS.map((s) => (
          <li key={s.path}>
            <Link className="card-link" to={`/settings/${s.path}`}>
              <strong>{s.label}</strong>
              <p>{s.about}</p>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
