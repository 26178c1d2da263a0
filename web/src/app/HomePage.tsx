import { Link } from 'react-router-dom';
import { useCurrentUser } from '../features/auth/session';
import { PageHeader, capitalise } from '../ui';
import { navFor } from './nav';

const blurbs: Record<string, string> = {
  '/portal': 'Report a problem, request something, and follow your tickets.',
  '/tickets': 'Work the queue: find, assign, answer and resolve tickets.',
  '/inventory': 'Devices, software and services, how they depend on each other, and licences.',
  '/backups': 'Every computer’s backups: how much work each would lose now, policies and storage targets.',
  '/users': 'Create accounts, set roles and reset passwords.',
  '/teams': 'Group agents into teams and manage members.',
  '/audit': 'Review every change: who, what, when, before and after.',
  '/tokens': 'Personal tokens for scripts and the command line.',
  '/account': 'Change your password.',
};

/** The landing page: a greeting and a card for each area the user may open. */
export function HomePage() {
  const user = useCurrentUser();
  const items = navFor(user.role).filter((i) => i.to !== '/');
  return (
    <>
      <PageHeader
        title={`Welcome, ${user.name.split(' ')[0] ?? user.name}`}
        description={`Signed in as ${user.email} · ${capitalise(user.role)}`}
      />
      <div className="cards">
        {items.map(({ to, label, icon: Icon }) => (
          <Link key={to} to={to} className="panel card-link">
            <span className="card-icon">
              <Icon size={22} />
            </span>
            <h2>{label}</h2>
            <p>{blurbs[to] ?? ''}</p>
          </Link>
        ))}
      </div>
    </>
  );
}

/** Shown for an unknown address inside the app. */
export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" description="There is nothing at this address." />
      <Link to="/">Go to the home page</Link>
    </>
  );
}
