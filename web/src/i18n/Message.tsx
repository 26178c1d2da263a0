import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import type { MessageKey } from './catalogues';

/**
 * A catalogue message whose arguments may be elements (a link, a badge, a name loaded on its own): for text
 * with pieces of UI inside it, where useT()'s plain string cannot hold them. The key is checked like t()'s.
 */
export function Message({
  id,
  values,
}: {
  id: MessageKey;
  values?: Record<string, ReactNode | ((chunks: ReactNode[]) => ReactNode)>;
}) {
  return <FormattedMessage id={id} values={values} />;
}
