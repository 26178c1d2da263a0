// Priority as every page shows it ("P1 · Critical"): one helper, the same words as notifications and e-mail.
export { priorityLabel, PRIORITIES_BY_URGENCY, PRIORITY_NAMES } from '@contracts';
