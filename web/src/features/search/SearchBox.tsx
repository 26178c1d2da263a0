import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCurrentUser } from '../auth/session';
import { fetchSearch, ticketPath } from './api';
import { useT } from '../../i18n';

/**
 * The global search box of the shell. A ticket number (INC-3, 3) opens that ticket at once; anything else
 * opens the results page (tickets, people, items).
 */
export function SearchBox() {
  const t = useT();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const term = q.trim();
    if (term === '') return;
    setBusy(true);
    try {
      const hit = /^(#?\d{1,9}|[a-z]{3}-\d{1,9})$/i.test(term) ? (await fetchSearch(term)).goTo : null;
      void navigate(hit ? ticketPath(user.role, hit.id) : `/search?q=${encodeURIComponent(term)}`);
      setQ('');
    } catch {
      void navigate(`/search?q=${encodeURIComponent(term)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form role="search" className="global-search" onSubmit={(e) => void submit(e)}>
      <input
        type="search"
        aria-label={t('search.box')}
        placeholder={t('search.placeholder')}
        maxLength={200}
        value={q}
        aria-busy={busy}
        onChange={(e) => setQ(e.target.value)}
      />
    </form>
  );
}
