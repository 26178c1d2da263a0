import type { ReactNode } from 'react';
import type { PendingReason, TicketStatus, TimelineItem } from '@contracts';
import { ErrorAlert, Loading, fieldName, formatDateTime } from '../../ui';
import { Markdown } from '../../ui/Markdown';
import { useTimeline } from './api';
import { PENDING_LABEL, priorityLabel, STATUS_LABEL } from './labels';
import { CategoryPath, TeamName, UserName } from './parts';

const FIELD_LABEL: Record<string, string> = {
  title: 'the title',
  description: 'the description',
  teamId: 'the team',
  assigneeId: 'the assignee',
  categoryId: 'the category',
  impact: 'the impact',
  urgency: 'the urgency',
  priority: 'the priority',
  priorityOverridden: 'the priority override',
  pendingReason: 'the pending reason',
};

/** "the assignee" for a field the list knows, else "the" and the name people know ("the due" for `dueAt`). */
export function fieldPhrase(field: string): string {
  return FIELD_LABEL[field] ?? `the ${fieldName(field).toLowerCase()}`;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Any stored value as text (numbers and strings as they are, anything else as JSON). */
function text(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** A changed value as people read it; ids become names where the reader may look them up. */
function Value({ field, value, names }: { field: string; value: unknown; names: boolean }): ReactNode {
  if (value === null || value === undefined) return <em>none</em>;
  switch (field) {
    case 'assigneeId':
      return names ? <UserName id={str(value)} /> : 'someone';
    case 'teamId':
      return names ? <TeamName id={str(value)} /> : 'a team';
    case 'categoryId':
      return <CategoryPath id={str(value)} />;
    case 'priority':
      return typeof value === 'number' ? priorityLabel(value) : text(value);
    case 'priorityOverridden':
      return value === true ? 'set by hand' : 'from the matrix';
    case 'status':
      return STATUS_LABEL[value as TicketStatus] ?? text(value);
    case 'pendingReason':
      return PENDING_LABEL[value as PendingReason] ?? text(value);
    default:
      return text(value);
  }
}

/** An automatic routing event: which rule applied, and which fields it set (`to` is `{ ruleName, changes }`). */
function Routed({ detail }: { detail: unknown }) {
  const d = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
  const rule = typeof d.ruleName === 'string' ? d.ruleName : 'a rule';
  const changes = typeof d.changes === 'object' && d.changes !== null ? Object.keys(d.changes) : [];
  return (
    <>
      Routing rule <strong>{rule}</strong> applied
      {changes.length > 0 && <>: set {changes.map(fieldPhrase).join(', ')}</>}
    </>
  );
}

const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;

/** An attachment added or removed (`to` / `from` hold `{ fileName, size }`). */
function Attached({ item }: { item: TimelineItem }) {
  const added = obj(item.to);
  const file = str((added ?? obj(item.from))?.fileName) ?? 'a file';
  return added ? (
    <>
      attached <strong>{file}</strong>
    </>
  ) : (
    <>
      deleted the attachment <strong>{file}</strong>
    </>
  );
}

const LINK_WORDS: Record<string, [string, string]> = {
  problem: ['linked it to the problem', 'linked the incident'],
  parent: ['made it a child of', 'added the child'],
  duplicate: ['merged it into', 'merged in the duplicate'],
};

/** A link added or removed, or a merge received (`to` / `from` hold `{ key, direction }`). */
function Linked({ item }: { item: TimelineItem }) {
  const v = obj(item.to) ?? obj(item.from);
  const key = str(v?.key) ?? 'a ticket';
  if (item.field === 'merged') {
    return (
      <>
        merged <strong>{key}</strong> into this ticket, with its conversation
      </>
    );
  }
  const [out, inc] = LINK_WORDS[item.field ?? ''] ?? ['linked it to', 'linked'];
  const words = str(v?.direction) === 'incoming' ? inc : out;
  return (
    <>
      {item.to === null ? `removed the link (${words})` : words} <strong>{key}</strong>
    </>
  );
}

/** An SLA escalation: "SLA: resolution warning (notified assignee, team)". */
function Escalated({ detail }: { detail: unknown }) {
  const d = (detail ?? {}) as { clock?: string; level?: string; actions?: string[] };
  const clock = d.clock === 'response' ? 'first response' : 'resolution';
  const actions = d.actions && d.actions.length > 0 ? ` (${d.actions.join('; ')})` : '';
  return (
    <>
      SLA: {clock} {d.level === 'breach' ? <strong>breached</strong> : 'warning'}
      {actions}
    </>
  );
}

/** One change line: "Ann changed the priority from P3 to P5". */
function Change({ item, names }: { item: TimelineItem; names: boolean }) {
  const field = item.kind === 'status' ? 'status' : (item.field ?? '');
  let what: ReactNode;
  if (item.kind === 'created') what = 'opened the ticket';
  else if (item.kind === 'routing') what = <Routed detail={item.to} />;
  else if (item.kind === 'attachment') what = <Attached item={item} />;
  else if (item.kind === 'link') what = <Linked item={item} />;
  else if (item.kind === 'sla') what = <Escalated detail={item.to} />;
  else if (field === 'description') what = 'edited the description';
  else {
    what = (
      <>
        changed {field === 'status' ? 'the status' : fieldPhrase(field)} from{' '}
        <strong>
          <Value field={field} value={item.from} names={names} />
        </strong>{' '}
        to{' '}
        <strong>
          <Value field={field} value={item.to} names={names} />
        </strong>
      </>
    );
  }
  return (
    <li className="timeline-event">
      <span>
        {item.kind === 'routing' || item.kind === 'sla' ? (
          what
        ) : (
          <>
            {item.actorLabel} {what}
          </>
        )}
      </span>
      <time dateTime={item.at}>{formatDateTime(item.at)}</time>
    </li>
  );
}

/**
 * A ticket's timeline, oldest first: replies, internal notes (set apart: tinted, labelled, never shown to
 * requesters because the API leaves them out), and status and field changes as compact lines. Without
 * `names` (the portal: requesters may not look people up) field changes are left out.
 */
export function Timeline({ items, names }: { items: readonly TimelineItem[]; names: boolean }) {
  // requesters follow the conversation and the status; routing and priority changes are the desk's business
  const shown = names
    ? items
    : items.filter((i) => i.kind !== 'field' && i.kind !== 'routing' && i.kind !== 'sla');
  if (shown.length === 0) return <p className="muted">Nothing here yet.</p>;
  return (
    <ol className="timeline" aria-label="Timeline">
      {shown.map((item, i) => {
        const c = item.comment;
        if (item.kind !== 'comment' || c === null) return <Change key={i} item={item} names={names} />;
        const label = `${c.internal ? 'Internal note' : 'Reply'} from ${c.authorLabel}`;
        return (
          <li key={c.id} className={c.internal ? 'timeline-comment is-internal' : 'timeline-comment'}>
            <article aria-label={label}>
              <header>
                <strong>{c.authorLabel}</strong>
                {c.internal && <span className="note-tag">Internal note</span>}
                <time dateTime={c.createdAt}>{formatDateTime(c.createdAt)}</time>
              </header>
              <Markdown source={c.body} />
            </article>
          </li>
        );
      })}
    </ol>
  );
}

/** The timeline of a ticket with its loading and error states. */
export function TicketTimeline({ id, names = true }: { id: string; names?: boolean }) {
  const timeline = useTimeline(id);
  if (timeline.isPending) return <Loading />;
  if (timeline.isError) return <ErrorAlert error={timeline.error} title="The activity could not be loaded" />;
  return <Timeline items={timeline.data} names={names} />;
}
