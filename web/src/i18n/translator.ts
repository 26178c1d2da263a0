// A translate function outside React (tests of pure label helpers): the same messages and ICU rules as useT().
import { createIntl } from 'react-intl';
import type { Locale } from '@contracts';
import { catalogues } from './catalogues';
import type { Translate } from './useT';

/** The translate function of `locale`, as useT() gives it inside the app. */
export function translator(locale: Locale): Translate {
  const intl = createIntl({ locale, messages: catalogues[locale] });
  return (key, values) => intl.formatMessage({ id: key }, values);
}
