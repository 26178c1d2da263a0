// Risk reasons and conflicts in the reader's language: the server sends a code with its values (and English
// text for API and CLI users); the page says them through the catalogue.
import type { ChangeConflict, MessageParams, RiskReason } from '@contracts';
import type { Translate } from '../../i18n';
import { formatDateTime } from '../../ui';

const str = (p: MessageParams, k: string) => String(p[k] ?? '');
const num = (p: MessageParams, k: string) => Number(p[k] ?? 0);

/** "A, B, C" and, past the first few, "and 3 more". */
function listed(t: Translate, p: MessageParams): string {
  const more = num(p, 'more');
  return more > 0 ? t('changes.reason.listMore', { names: str(p, 'names'), more }) : str(p, 'names');
}

/** One risk reason as a sentence; a reason stored before the codes keeps its English text. */
export function riskReasonText(t: Translate, r: RiskReason): string {
  const p = r.params;
  switch (r.code) {
    case 'question':
      return t('changes.reason.question', { question: str(p, 'question') });
    case 'no_items':
      return t('changes.reason.no_items');
    case 'services':
      return t('changes.reason.services', { count: num(p, 'count'), names: listed(t, p) });
    case 'owners':
      return t('changes.reason.owners', { count: num(p, 'count') });
    case 'incidents':
      return num(p, 'atLeast')
        ? t('changes.reason.incidentsAtLeast', { count: num(p, 'count'), keys: str(p, 'keys') })
        : t('changes.reason.incidents', { count: num(p, 'count'), keys: str(p, 'keys') });
    case 'other_changes':
      return t('changes.reason.other_changes', { count: num(p, 'count') });
    case 'blackout':
      return t('changes.reason.blackout', { names: listed(t, p) });
    case 'no_backup':
      return t('changes.reason.no_backup', { names: listed(t, p) });
    case 'other':
      return r.text;
  }
}

/** One conflict as a sentence, items by name ("an item" when it is gone). */
export function conflictText(t: Translate, c: ChangeConflict): string {
  const p = c.params;
  const item = str(p, 'item') || t('changes.conflict.anItem');
  const change = str(p, 'change');
  const title = str(p, 'title');
  switch (c.kind) {
    case 'same_item':
      return t('changes.conflict.same_item', { change, title, item });
    case 'related_item':
      return p.side === 'upstream'
        ? t('changes.conflict.upstream', { change, title, item })
        : t('changes.conflict.downstream', { change, title, item });
    case 'outside_maintenance':
      return t('changes.conflict.outside_maintenance', { item });
    case 'blackout': {
      const v = {
        name: str(p, 'name'),
        item,
        start: formatDateTime(str(p, 'start')),
        end: formatDateTime(str(p, 'end')),
      };
      return str(p, 'item') ? t('changes.conflict.blackoutFor', v) : t('changes.conflict.blackout', v);
    }
    case 'implementer_booked':
      return t('changes.conflict.implementer_booked', { change, title });
  }
}
