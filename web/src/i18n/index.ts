export { catalogues, type MessageKey } from './catalogues';
export { I18nProvider } from './I18nProvider';
export { activeLocale, browserLanguages, LOCALES, pickLocale, type Locale } from './locale';
export { isMessageKey, translate, translator } from './translate';
export { Msg, type RichValues } from './Msg';
export { useT, type MessageValues, type Translate } from './useT';
