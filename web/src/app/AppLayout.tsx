import { useEffect, useId, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate, useNavigation } from 'react-router-dom';
import { useCurrentUser, useSignOut } from '../features/auth/session';
import { Button, Loading } from '../ui';
import { CloseIcon, Logo, MenuIcon, SignOutIcon } from '../ui/icons';
import { navFor } from './nav';
import { useUnreadCount } from '../features/notifications/api';
import { SearchBox } from '../features/search/SearchBox';
import { useLiveUpdates } from '../features/live/live';
import { ShortcutsOverlay } from './Shortcuts';
import { useT } from '../i18n/useT';

/**
 * The signed-in frame: a sidebar on wide screens; on narrow screens a top bar whose menu button
 * opens the same navigation as a panel. The menu closes on navigation and on Escape.
 */
export function AppLayout() {
  const t = useT();
  const user = useCurrentUser();
  const signOut = useSignOut();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const navId = useId();
  const navigate = useNavigate();
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(location.pathname);
  // A page loaded on demand (its code split off) shows this while its code arrives.
  const loadingPage = useNavigation().state === 'loading';
  useLiveUpdates(user.id);

  useEffect(() => {
    setMenuOpen(false);
    // after a navigation, move focus to the new page so screen readers start there (not on first load)
    if (location.pathname !== firstPath.current) {
      firstPath.current = '';
      mainRef.current?.focus();
    }
  }, [location.pathname]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setMenuOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  return (
    <div className={menuOpen ? 'shell menu-open' : 'shell'}>
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <header className="sidebar">
        <div className="sidebar-top">
          <NavLink to="/" className="brand" aria-label={t('shell.brandHome')}>
            <Logo size={28} />
            <span>Steward</span>
          </NavLink>
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls={navId}
            aria-label={menuOpen ? t('shell.closeMenu') : t('shell.openMenu')}
            onClick={() => setMenuOpen((o) => !o)}
          >
            {menuOpen ? <CloseIcon size={22} /> : <MenuIcon size={22} />}
          </button>
        </div>
        <div className="sidebar-panel" id={navId}>
          <SearchBox />
          <nav aria-label={t('shell.mainNav')}>
            <ul className="nav-list">
              {navFor(user.role).map(({ to, label, icon: Icon, end }) => (
                <li key={to}>
                  <NavLink to={to} end={end} className="nav-link">
                    <Icon />
                    <span>{t(label)}</span>
                    {to === '/notifications' && <UnreadCount />}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            <div className="avatar" aria-hidden="true">
              {initials(user.name)}
            </div>
            <div className="account-text">
              <span className="account-name" title={user.name}>
                {user.name}
              </span>
              <span className="account-role">{t(`role.${user.role}`)}</span>
            </div>
            <Button
              variant="ghost"
              size="sm"
              className="sign-out"
              busy={signOut.isPending}
              onClick={() =>
                signOut.mutate(undefined, { onSuccess: () => void navigate('/sign-in', { replace: true }) })
              }
              aria-label={t('shell.signOut')}
              title={t('shell.signOut')}
            >
              {!signOut.isPending && <SignOutIcon />}
            </Button>
          </div>
        </div>
      </header>
      {/* narrow screens: a tap outside the open menu closes it (keyboard users have Escape and the button) */}
      {menuOpen && <div className="backdrop" aria-hidden="true" onClick={() => setMenuOpen(false)} />}
      <main id="main" className="content" tabIndex={-1} ref={mainRef}>
        {loadingPage ? <Loading label={t('common.loadingPage')} /> : <Outlet />}
      </main>
      <ShortcutsOverlay />
    </div>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** The number of unread notifications beside their navigation entry (nothing when there are none). */
function UnreadCount() {
  const t = useT();
  const unread = useUnreadCount().data ?? 0;
  return unread > 0 ? (
    <span className="badge badge-primary" aria-label={t('shell.unread', { count: unread })}>
      {unread}
    </span>
  ) : null;
}
