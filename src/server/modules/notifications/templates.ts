import type { NotificationEvent } from '../../../contracts/index.js';

/** The placeholders a template may use. */
export const PLACEHOLDERS = [
  'ticket.key',
  'ticket.title',
  'ticket.status',
  'ticket.priority',
  'ticket.url',
  'actor',
  'comment',
  'clock',
  'dueAt',
  'recipient',
  'item.name',
  'item.url',
  'what',
  'date',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The built-in texts, used until an admin saves their own. */
export const DEFAULT_TEMPLATES: Record<NotificationEvent, { subject: string; body: string }> = {
  assigned: {
    subject: '[{{ticket.key}}] Assigned to you: {{ticket.title}}',
    body: '{{actor}} assigned {{ticket.key}} to you.\n\n{{ticket.title}}\n{{ticket.priority}}, {{ticket.status}}.\n\n{{ticket.url}}',
  },
  replied: {
    subject: '[{{ticket.key}}] {{ticket.title}}',
    body: '{{actor}} wrote:\n\n{{comment}}\n\nReply to this e-mail to answer, or open {{ticket.url}}',
  },
  status_changed: {
    subject: '[{{ticket.key}}] Now {{ticket.status}}: {{ticket.title}}',
    body: '{{actor}} changed the status of {{ticket.key}} to {{ticket.status}}.\n\n{{ticket.url}}',
  },
  sla_warning: {
    subject: '[{{ticket.key}}] SLA warning ({{clock}}): {{ticket.title}}',
    body: 'The {{clock}} target of {{ticket.key}} is due at {{dueAt}}.\n\n{{ticket.title}}\n{{ticket.priority}}, {{ticket.status}}.\n\n{{ticket.url}}',
  },
  reminder: {
    subject: 'Reminder: {{what}} of {{item.name}} on {{date}}',
    body: '{{what}} of {{item.name}} is on {{date}}.\n\n{{item.url}}',
  },
  backup_overdue: {
    subject: '[{{ticket.key}}] Backups of {{item.name}} are overdue',
    body: '{{what}}\n\nSteward opened {{ticket.key}} about it. It is resolved by itself once a backup of {{item.name}} succeeds within the target again.\n\n{{ticket.url}}',
  },
  backup_failing: {
    subject: '[{{ticket.key}}] Backups of {{item.name}} are failing',
    body: '{{what}}\n\nSteward opened {{ticket.key}} about it. It is resolved by itself once a backup of {{item.name}} succeeds again.\n\n{{ticket.url}}',
  },
  approval_requested: {
    subject: 'Your approval is needed: {{item.name}}',
    body: 'Hello {{recipient}},\n\n{{item.name}} waits for your decision: {{what}}.\n\nApprove or reject it: {{item.url}}',
  },
  evidence_failed: {
    subject: 'Evidence failed: {{item.name}}',
    body: 'Hello {{recipient}},\n\nThe evidence of {{item.name}} failed: {{what}}.\n\nThe control stays red until its evidence passes again: {{item.url}}',
  },
  sla_breach: {
    subject: '[{{ticket.key}}] SLA breached ({{clock}}): {{ticket.title}}',
    body: 'The {{clock}} target of {{ticket.key}} was due at {{dueAt}} and has been missed.\n\n{{ticket.title}}\n{{ticket.priority}}, {{ticket.status}}.\n\n{{ticket.url}}',
  },
};

const TAG = /\{\{\s*([a-zA-Z.]+)\s*\}\}/g;

/** Placeholders a template names that do not exist (for a 400 when it is saved). */
export function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return [...text.matchAll(TAG)].map((m) => m[1]!).filter((p) => !known.has(p));
}

/**
 * Fills a template. Values are plain text (mail bodies are text/plain, and in-app notifications are shown as
 * text), so nothing is escaped; a missing value becomes empty.
 */
export function render(text: string, values: Partial<Record<Placeholder, string>>): string {
  return text.replace(TAG, (_, name: string) => values[name as Placeholder] ?? '');
}
