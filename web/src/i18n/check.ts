// Checks a message catalogue against the English reference: the same keys, valid ICU, the same arguments.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/** The argument names a parsed message uses (`{name}`, `{count, plural, …}`, inside plural branches too). */
function argumentsOf(elements: readonly MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    into.add(el.value);
    if (el.type === TYPE.plural || el.type === TYPE.select) {
      for (const option of Object.values(el.options)) argumentsOf(option.value, into);
    } else if (el.type === TYPE.tag) {
      argumentsOf(el.children, into);
    }
  }
  return into;
}

/** The parsed message, or the parser's complaint. */
function parsed(message: string): MessageFormatElement[] | string {
  try {
    return parse(message);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Every problem of `catalogue` measured against `reference`: keys missing or extra, messages that are not
 * valid ICU, and messages whose arguments differ from the reference's. Empty when the catalogue is complete.
 */
export function catalogueProblems(
  reference: Record<string, string>,
  catalogue: Record<string, string>,
): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(reference)) if (!(key in catalogue)) problems.push(`missing key ${key}`);
  for (const [key, message] of Object.entries(catalogue)) {
    const ref = reference[key];
    if (ref === undefined) {
      problems.push(`extra key ${key}`);
      continue;
    }
    const mine = parsed(message);
    if (typeof mine === 'string') {
      problems.push(`${key}: invalid ICU message (${mine})`);
      continue;
    }
    const theirs = parsed(ref);
    if (typeof theirs === 'string') continue; // reported when the reference itself is checked
    const a = [...argumentsOf(theirs)].sort().join(',');
    const b = [...argumentsOf(mine)].sort().join(',');
    if (a !== b) problems.push(`${key}: arguments {${b}} differ from the reference's {${a}}`);
  }
  return problems;
}
