import { Link, NavLink, Outlet } from 'react-router-dom';
import { PageHeader } from '../../ui';
import './settings.css';
import { useT } from '../../i18n';

/** The sections of the settings area, in the order they are listed. */
export const SECTIONS = [
  { path: 'categories', label: 'settings.section.categories' },
  { path: 'priorities', label: 'settings.section.priorities' },
  { path: 'sla', label: 'settings.section.sla' },
  { path: 'fields', label: 'settings.section.fields' },
  { path: 'templates', label: 'settings.section.templates' },
  { path: 'routing', label: 'settings.section.routing' },
  { path: 'assignment', label: 'settings.section.assignment' },
  { path: 'service-desk', label: 'settings.section.desk' },
  { path: 'notifications', label: 'settings.section.notifications' },
  { path: 'mail', label: 'settings.section.mail' },
] as const;

/** The settings area: the list of sections beside (on phones, above) the open section. */
export function SettingsLayout() {
  const t = useT();
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label={t('settings.sectionsNav')}>
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.path}>
              <NavLink to={`/settings/${s.path}`}>{t(s.label)}</NavLink>
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
  const t = useT();
  return (
    <>
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      <ul className="cards">
        {SECTIONS.map((s) => (
          <li key={s.path}>
            <Link className="card-link" to={`/settings/${s.path}`}>
              <strong>{t(s.label)}</strong>
              <p>{t(`${s.label}.about`)}</p>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
