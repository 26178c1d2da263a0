/**
 * Names people know for what the API stores under internal names: fields (`assignedBy` → "Assigned by",
 * `teamId` → "Team", `installed_on` → "Installed on"), audit actions (`ticket.assigned` → "Ticket assigned")
 * and the kinds of things entries are about (`ci` → "Item"). Pure functions, used by the audit log, the ticket
 * timeline and item histories so that none of them shows a raw field name. Names come from the catalogue
 * (`field.<key>`, `entity.<type>`, `verb.<word>`) in the user's language; a name the catalogue lacks is made
 * from the identifier's own words.
 */
import { activeLocale, isMessageKey, translate } from '../i18n';

/** Words written in capitals or otherwise when they stand in a name. */
const WORD: Record<string, string> = {
  sla: 'SLA',
  csv: 'CSV',
  ip: 'IP',
  api: 'API',
  mfa: 'two-step sign-in',
  smtp: 'SMTP',
  imap: 'IMAP',
  oidc: 'OIDC',
  url: 'address',
  ci: 'item',
  cis: 'items',
  csat: 'satisfaction',
};

/** The words of an identifier: camelCase, snake_case, kebab-case and dots split, in lower case. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s._-]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

/** Words as a name: known words spelled their way, the first letter in capitals. */
function phrase(words: string[]): string {
  const text = words.map((w) => WORD[w] ?? w).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A field's name as people know it: "Assigned by" for `assignedBy`, "Team" for `teamId`, "Installed on" for
 * `installed_on`; a custom field `custom.serial_no` as "Serial no". A trailing "id" is dropped: the value
 * shown beside it is a name, not an id.
 */
export function fieldName(key: string): string {
  const known = `field.${key}`;
  if (isMessageKey(known)) return translate(known);
  const words = wordsOf(key.replace(/^custom\./, ''));
  if (words.length > 1 && (words.at(-1) === 'id' || words.at(-1) === 'ids')) {
    const plural = words.pop() === 'ids';
    if (plural) words[words.length - 1] = `${words.at(-1)}s`;
  }
  const named = `field.${words.join('_')}`;
  return isMessageKey(named) ? translate(named) : phrase(words);
}

/**
 * A field's name inside a sentence ("changed the assignee"): in lower case in English, as it is in German,
 * whose nouns keep their capital.
 */
export function fieldNameInline(key: string): string {
  const name = fieldName(key);
  return activeLocale() === 'en' ? name.toLowerCase() : name;
}

/** What an audit action says: `ticket.assigned` → "Ticket assigned", `ci.software_changed` → "Item software changed". */
export function actionName(action: string): string {
  const exact = `action.${action}`;
  if (isMessageKey(exact)) return translate(exact);
  if (activeLocale() === 'en') return phrase(wordsOf(action));
  // other languages: the thing, then what happened to it ("Ticket zugewiesen")
  const dot = action.lastIndexOf('.');
  const verb = `verb.${action.slice(dot + 1)}`;
  if (dot < 0 || !isMessageKey(verb)) return phrase(wordsOf(action));
  return `${entityName(action.slice(0, dot))} ${translate(verb)}`;
}

/** The kind of thing an audit entry is about: `ci` → "Item", `sla_policy` → "SLA policy". */
export function entityName(type: string): string {
  const known = `entity.${type.replace(/\./g, '_')}`;
  return isMessageKey(known) ? translate(known) : phrase(wordsOf(type));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value is an id (a UUID), which a reader should see by its name instead. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
