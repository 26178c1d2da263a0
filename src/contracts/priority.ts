/**
 * Priority as people read it, everywhere (web pages, notifications, e-mail): the most urgent is P1, as IT teams
 * expect, with a word beside the number. The stored scale runs the other way (1 = lowest of the matrix, 5 =
 * highest, 6 = major, set by hand), so the label is the one place that turns it round.
 */
export const PRIORITY_NAMES: Readonly<Record<number, string>> = {
  6: 'P0 · Major',
  5: 'P1 · Critical',
  4: 'P2 · High',
  3: 'P3 · Medium',
  2: 'P4 · Low',
  1: 'P5 · Planning',
};

/** The stored priorities, most urgent first (for pickers and filters). */
export const PRIORITIES_BY_URGENCY = [6, 5, 4, 3, 2, 1] as const;

/** The name of stored priority `p`, e.g. 5 → "P1 · Critical". */
export function priorityLabel(p: number): string {
  return PRIORITY_NAMES[p] ?? `Priority ${p}`;
}
