import { Link } from 'react-router-dom';
import { useCurrentUser } from '../features/auth/session';
import { PageHeader } from '../ui';
import type { MessageKey } from '../i18n/catalogues';
import { navFor } from './nav';
import { useT } from '../i18n/useT';

const blurbs: Record<string, MessageKey> = {
  '/portal': 'home.blurb.portal',
  '/tickets': 'home.blurb.tickets',
  '/inventory': 'home.blurb.inventory',
  '/backups': 'home.blurb.backups',
  '/users': 'home.blurb.users',
  '/teams': 'home.blurb.teams',
  '/audit': 'home.blurb.audit',
  '/tokens': 'home.blurb.tokens',
  '/account': 'home.blurb.account',
};

/** The landing page: a greeting and a card for each area the user may open. */
export function HomePage() {
  const t = useT();
  const user = useCurrentUser();
  const items = navFor(user.role).filter((i) => i.to !== '/');
  return (
    <>
      <PageHeader
        title={t('home.welcome', { name: user.name.split(' ')[0] ?? user.name })}
        description={t('home.signedInAs', { email: user.email, role: t(`role.${user.role}`) })}
      />
      <div className="cards">
        {items.map(({ to, label, icon: Icon }) => (
          <Link key={to} to={to} className="panel card-link">
            <span className="card-icon">
              <Icon size={22} />
            </span>
            <h2>{t(label)}</h2>
            <p>{blurbs[to] === undefined ? '' : t(blurbs[to])}</p>
          </Link>
        ))}
      </div>
    </>
  );
}

/** Shown for an unknown address inside the app. */
export function NotFoundPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('common.notFound')} description={t('common.notFoundBody')} />
      <Link to="/">{t('common.goHome')}</Link>
    </>
  );
}
