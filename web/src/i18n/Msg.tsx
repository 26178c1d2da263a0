import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import type { MessageKey } from './catalogues';

/** What a rich message may interpolate: text, numbers, elements, and tags (`<b>…</b>` → a function). */
export type RichValues = Record<string, string | number | ReactNode | ((chunks: ReactNode[]) => ReactNode)>;

/**
 * A catalogue message whose arguments are elements (a name link, a bold value): the sentence, its word order
 * included, comes from the catalogue, so that each language can put the parts where they belong.
 */
export function Msg({ id, values }: { id: MessageKey; values?: RichValues }) {
  return <FormattedMessage id={id} values={values} />;
}
