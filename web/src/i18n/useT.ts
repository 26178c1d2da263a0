import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import type { MessageKey } from './catalogues';

/** Values a message may interpolate (ICU arguments). */
export type MessageValues = Record<string, string | number | Date>;

/** A function that turns a catalogue key (and its ICU arguments) into text in the user's language. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;

/** The translate function of the current language. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback(
    (key: MessageKey, values?: MessageValues) => intl.formatMessage({ id: key }, values),
    [intl],
  );
}
