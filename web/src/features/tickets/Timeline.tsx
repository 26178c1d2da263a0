import type { ReactNode } from 'react';
import type { PendingReason, TicketStatus, TimelineItem } from '@contracts';
import { Msg, useT, type MessageKey, type Translate } from '../../i18n';
import { ErrorAlert, Loading, fieldNameInline, formatDateTime, priorityName } from '../../ui';
import { Markdown } from '../../ui/Markdown';
import { useTimeline } from './api';
import { PENDING_LABEL, STATUS_LABEL } from './labels';
import { CategoryPath, TeamName, UserName } from './parts';

const FIELD_LABEL: Record<string, MessageKey> = {
  title: 'timeline.field.title',
  description: 'timeline.field.description',
  teamId: 'timeline.field.teamId',
  assigneeId: 'timeline.field.assigneeId',
  categoryId: 'timeline.field.categoryId',
  impact: 'timeline.field.impact',
  urgency: 'timeline.field.urgency',
  priority: 'timeline.field.priority',
  priorityOverridden: 'timeline.field.priorityOverridden',
  pendingReason: 'timeline.field.pendingReason',
  status: 'timeline.field.status',
};

/** "the assignee" for a field the list knows, else "the" and the name people know ("the due" for `dueAt`). */
export function fieldPhrase(t: Translate, field: string): string {
  const key = FIELD_LABEL[field];
  // custom fields (issue 27) are recorded as `field.<key>`: named by their key
  const name = field.startsWith('field.') ? field.slice(6) : field;
  return key ? t(key) : t('timeline.field.other', { name: fieldNameInline(name) });
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
  const t = useT();
  if (value === null || value === undefined) return <em>{t('timeline.none')}</em>;
  switch (field) {
    case 'assigneeId':
      return names ? <UserName id={str(value)} /> : t('timeline.someone');
    case 'teamId':
      return names ? <TeamName id={str(value)} /> : t('timeline.aTeam');
    case 'categoryId':
      return <CategoryPath id={str(value)} />;
    case 'priority':
      return typeof value === 'number' ? priorityName(t, value) : text(value);
    case 'priorityOverridden':
      return t(value === true ? 'timeline.setByHand' : 'timeline.fromMatrix');
    case 'status': {
      const key = STATUS_LABEL[value as TicketStatus] as MessageKey | undefined;
      return key ? t(key) : text(value);
    }
    case 'pendingReason': {
      const key = PENDING_LABEL[value as PendingReason] as MessageKey | undefined;
      return key ? t(key) : text(value);
    }
    default:
      return text(value);
  }
}

/** An automatic routing event: which rule applied, and which fields it set (`to` is `{ ruleName, changes }`). */
function Routed({ detail }: { detail: unknown }) {
  const t = useT();
  const d = typeof detail === 'object' && detail !== null ? (detail as Record<string, unknown>) : {};
  const rule = typeof d.ruleName === 'string' ? d.ruleName : t('timeline.aRule');
  const changes = typeof d.changes === 'object' && d.changes !== null ? Object.keys(d.changes) : [];
  return (
    <Msg
      id={changes.length > 0 ? 'timeline.routedSet' : 'timeline.routed'}
      values={{
        rule: <strong>{rule}</strong>,
        fields: changes.map((f) => fieldPhrase(t, f)).join(', '),
      }}
    />
  );
}

const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;

/** An attachment added or removed (`to` / `from` hold `{ fileName, size }`). */
function Attached({ item }: { item: TimelineItem }) {
  const t = useT();
  const added = obj(item.to);
  const file = str((added ?? obj(item.from))?.fileName) ?? t('timeline.aFile');
  return (
    <Msg
      id={added ? 'timeline.attached' : 'timeline.deletedAttachment'}
      values={{ actor: item.actorLabel, file: <strong>{file}</strong> }}
    />
  );
}

/** The sentence of a link, by its kind and the side this ticket is on: [added, removed]. */
const LINK_WORDS: Record<string, { out: [MessageKey, MessageKey]; in: [MessageKey, MessageKey] }> = {
  problem: {
    out: ['timeline.link.problemOut', 'timeline.unlink.problemOut'],
    in: ['timeline.link.problemIn', 'timeline.unlink.problemIn'],
  },
  parent: {
    out: ['timeline.link.parentOut', 'timeline.unlink.parentOut'],
    in: ['timeline.link.parentIn', 'timeline.unlink.parentIn'],
  },
  duplicate: {
    out: ['timeline.link.duplicateOut', 'timeline.unlink.duplicateOut'],
    in: ['timeline.link.duplicateIn', 'timeline.unlink.duplicateIn'],
  },
  other: {
    out: ['timeline.link.otherOut', 'timeline.unlink.otherOut'],
    in: ['timeline.link.otherIn', 'timeline.unlink.otherIn'],
  },
};

/** A link added or removed, or a merge received (`to` / `from` hold `{ key, direction }`). */
function Linked({ item }: { item: TimelineItem }) {
  const t = useT();
  const v = obj(item.to) ?? obj(item.from);
  const key = <strong>{str(v?.key) ?? t('timeline.aTicket')}</strong>;
  if (item.field === 'merged') return <Msg id="timeline.merged" values={{ actor: item.actorLabel, key }} />;
  const words = LINK_WORDS[item.field ?? ''] ?? LINK_WORDS.other;
  const [added, removed] = str(v?.direction) === 'incoming' ? (words?.in ?? []) : (words?.out ?? []);
  const id = item.to === null ? removed : added;
  return id ? <Msg id={id} values={{ actor: item.actorLabel, key }} /> : null;
}

/** An SLA escalation: "SLA: resolution warning (notified assignee, team)". */
function Escalated({ detail }: { detail: unknown }) {
  const d = (detail ?? {}) as { clock?: string; level?: string; actions?: string[] };
  const actions = d.actions && d.actions.length > 0 ? ` (${d.actions.join('; ')})` : '';
  return (
    <Msg
      id="timeline.sla"
      values={{
        clock: d.clock === 'response' ? 'response' : 'resolution',
        breach: d.level === 'breach' ? 'yes' : 'no',
        actions,
        b: (chunks) => <strong>{chunks}</strong>,
      }}
    />
  );
}

/** One change line: "Ann changed the priority from P3 to P5". */
function Change({ item, names }: { item: TimelineItem; names: boolean }) {
  const t = useT();
  const field = item.kind === 'status' ? 'status' : (item.field ?? '');
  const actor = item.actorLabel;
  let what: ReactNode;
  if (item.kind === 'created') what = <Msg id="timeline.created" values={{ actor }} />;
  else if (item.kind === 'routing') what = <Routed detail={item.to} />;
  else if (item.kind === 'attachment') what = <Attached item={item} />;
  else if (item.kind === 'link') what = <Linked item={item} />;
  else if (item.kind === 'sla') what = <Escalated detail={item.to} />;
  else if (field === 'description') what = <Msg id="timeline.editedDescription" values={{ actor }} />;
  else {
    what = (
      <Msg
        id="timeline.changed"
        values={{
          actor,
          field: fieldPhrase(t, field),
          from: (
            <strong>
              <Value field={field} value={item.from} names={names} />
            </strong>
          ),
          to: (
            <strong>
              <Value field={field} value={item.to} names={names} />
            </strong>
          ),
        }}
      />
    );
  }
  return (
    <li className="timeline-event">
      <span>{what}</span>
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
  const t = useT();
  // requesters follow the conversation and the status; routing and priority changes are the desk's business
  const shown = names
    ? items
    : items.filter((i) => i.kind !== 'field' && i.kind !== 'routing' && i.kind !== 'sla');
  if (shown.length === 0) return <p className="muted">{t('timeline.empty')}</p>;
  return (
    <ol className="timeline" aria-label={t('timeline.label')}>
      {shown.map((item, i) => {
        const c = item.comment;
        if (item.kind !== 'comment' || c === null) return <Change key={i} item={item} names={names} />;
        const label = t(c.internal ? 'timeline.noteFrom' : 'timeline.replyFrom', { name: c.authorLabel });
        return (
          <li key={c.id} className={c.internal ? 'timeline-comment is-internal' : 'timeline-comment'}>
            <article aria-label={label}>
              <header>
                <strong>{c.authorLabel}</strong>
                {c.internal && <span className="note-tag">{t('timeline.internalNote')}</span>}
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
  const t = useT();
  const timeline = useTimeline(id);
  if (timeline.isPending) return <Loading />;
  if (timeline.isError) return <ErrorAlert error={timeline.error} title={t('timeline.loadFailed')} />;
  return <Timeline items={timeline.data} names={names} />;
}
