import { useEffect, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { useSession } from '../features/auth/session';
import { catalogues } from './catalogues';
import { browserLanguages, formatTagFor, pickLocale, setActiveLocale } from './locale';

/**
 * Gives the app its language: the signed-in user's choice, else the browser's. Changing it re-mounts the
 * tree below, so that every date and number formatted outside React's own text is redone in the new locale
 * (the router and the query cache live above and keep the page and its data).
 */
export function I18nProvider({ children }: { children: ReactNode }) {
  const { data } = useSession();
  const locale = pickLocale(data?.user.locale, browserLanguages());
  const tag = formatTagFor(locale, browserLanguages());
  setActiveLocale(locale, tag);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <IntlProvider key={tag} locale={tag} defaultLocale="en" messages={catalogues[locale]}>
      {children}
    </IntlProvider>
  );
}
