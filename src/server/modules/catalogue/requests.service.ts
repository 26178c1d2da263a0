/**
 * Requesting a catalogue item: the answers checked against the item's form, the approval levels fixed (the
 * requester's manager; teams under the shared rules, never the requester), the tasks laid out, and the
 * request's ticket opened through the tickets module, counted under the item's SLA policy. Reading and listing
 * requests for those who may see them.
 */
import type { ApprovalLevelDef, CatalogueRequest, RequestQuery } from '../../../contracts/index.js';
import { SubmitRequest } from '../../../contracts/index.js';
import { requiredVotes } from '../../platform/approval-rules.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx, Db } from '../../platform/context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { allows, can, type Actor } from '../../platform/permissions.js';
import { itemNames, myCis } from '../cmdb/index.js';
import { setTicketPolicyIn } from '../sla/index.js';
import { teamMembers, teamNames } from '../teams/index.js';
import { addAttachmentsIn, bufferUpload, createTicketIn } from '../tickets/index.js';
import { findForLogin, managerOf, userNames } from '../users/index.js';
import { checkAnswers, type CheckedAnswers, type FieldProblem } from './form.js';
import * as items from './items.repository.js';
import { definitionOf } from './items.service.js';
import * as repo from './requests.repository.js';
import { requestKey, requestViews, type StoredAnswer } from './view.js';
import { CATALOGUE, notifyApprovers, startFulfilment } from './workflow.js';
import type { z } from 'zod';

/** Resolves people (by id or e-mail) and CMDB items the answers name; 400 naming each field that fails. */
async function resolveRefs(
  ctx: Ctx,
  actor: Actor,
  fields: ReturnType<typeof definitionOf>['fields'],
  a: CheckedAnswers,
) {
  const problems: FieldProblem[] = [];
  // Those who may not read the CMDB name only their own items (as on the portal's ticket form).
  const own = allows(actor, 'ci:read') ? undefined : new Set((await myCis(ctx, actor)).map((c) => c.id));
  for (const f of fields) {
    const v = a.values[f.key];
    if (typeof v !== 'string') continue;
    if (f.type === 'user') {
      const id = v.includes('@') ? (await findForLogin(ctx.db, v))?.id : v;
      const u = id ? (await userNames(ctx.db, [id])).get(id) : undefined;
      if (!id || !u?.active) problems.push({ path: `values.${f.key}`, message: 'no such active person' });
      else a.values[f.key] = id;
    } else if (f.type === 'ci' && (own ? !own.has(v) : !(await itemNames(ctx, [v])).has(v)))
      problems.push({
        path: `values.${f.key}`,
        message: own ? 'no such item of yours' : 'no such item in the CMDB',
      });
  }
  if (problems.length) throw Invalid('the form has problems', problems);
}

/** The approval levels of a request by `requesterId`, voters fixed now (409 when a level has nobody). */
async function levelsFor(db: Db, requesterId: string, defs: readonly ApprovalLevelDef[]) {
  const out = [];
  for (const d of defs) {
    if (d.kind === 'manager') {
      const m = await managerOf(db, requesterId);
      if (!m)
        throw Conflict(
          'this item is approved by your manager, and Steward knows of none: ask an admin to set your manager',
          'no_manager',
        );
      out.push({
        kind: d.kind,
        team_id: null,
        group_name: `${m.name} (manager)`,
        rule: 'any' as const,
        required: 1,
        voters: [m.id],
      });
      continue;
    }
    const name = (await teamNames(db, [d.teamId])).get(d.teamId) ?? 'a deleted team';
    const members = (await teamMembers(db, [d.teamId])).filter((id) => id !== requesterId);
    const active = await userNames(db, members);
    const voters = members.filter((id) => active.get(id)?.active);
    const required = requiredVotes(d, voters.length, `the team ${name}, other than the requester`);
    out.push({ kind: d.kind, team_id: d.teamId, group_name: name, rule: d.rule, required, voters });
  }
  return out;
}

/** The answers as Markdown, for the ticket's description. */
function describe(
  fields: ReturnType<typeof definitionOf>['fields'],
  values: Record<string, StoredAnswer>,
): string {
  return fields
    .filter((f) => values[f.key] !== undefined && f.type !== 'user' && f.type !== 'ci')
    .map((f) => {
      const v = values[f.key]!;
      const shown =
        typeof v === 'object' && !Array.isArray(v) ? v.fileName : Array.isArray(v) ? v.join(', ') : String(v);
      return `- **${f.label}:** ${shown}`;
    })
    .join('\n');
}

/** The request service, for the routes and the CLI's API. */
export function requestsService(ctx: Ctx) {
  const get = async (actor: Actor, id: string): Promise<CatalogueRequest> => {
    can(actor, 'catalogue:request');
    const r = await repo.findRequest(ctx.db, id, repo.requestsVisibleTo(actor));
    if (!r) throw NotFound('request');
    const [view] = await requestViews(ctx, ctx.db, actor, [r], allows(actor, 'catalogue:admin'));
    return view!;
  };
  return {
    get,
    async list(actor: Actor, q: z.output<typeof RequestQuery>): Promise<{ items: CatalogueRequest[] }> {
      can(actor, 'catalogue:request');
      if (q.scope === 'all') can(actor, 'catalogue:admin');
      const where = repo.scopeOf(q.scope, actor);
      const rows = await repo.listRequests(ctx.db, where, q.limit);
      return { items: await requestViews(ctx, ctx.db, actor, rows, allows(actor, 'catalogue:admin')) };
    },
    /** Requests an item the actor may request (404 otherwise) with the form's answers. */
    async submit(actor: Actor, itemId: string, raw: SubmitRequest): Promise<CatalogueRequest> {
      can(actor, 'catalogue:request');
      const me = actor.userId;
      if (!me) throw Forbidden('only a person may request an item');
      const body = SubmitRequest.parse(raw);
      const item = await items.findItem(ctx.db, itemId, items.requestableBy(actor));
      if (!item) throw NotFound('catalogue item');
      const def = definitionOf(item);
      const checked = checkAnswers(def.fields, body.values);
      if ('problems' in checked) throw Invalid('the form has problems', checked.problems);
      const answers = checked.answers;
      await resolveRefs(ctx, actor, def.fields, answers);
      const id = await ctx.tx(async (db) => {
        const levels = await levelsFor(db, me, def.approvals);
        const r = await repo.insertRequest(db, {
          item_id: item.id,
          item_name: item.name,
          requester_id: me,
          status: levels.length ? 'approval' : 'fulfilment',
          level: levels.length ? 1 : 0,
          fields: JSON.stringify(def.fields),
          answers: '{}',
        });
        await repo.insertApprovals(
          db,
          levels.map((l, i) => ({
            ...l,
            request_id: r.id,
            level: i + 1,
            status: i === 0 ? 'pending' : 'waiting',
          })),
        );
        await repo.insertTasks(
          db,
          def.tasks.map((t, i) => ({ request_id: r.id, position: i + 1, title: t.title, team_id: t.teamId })),
        );
        const values: Record<string, StoredAnswer> = { ...answers.values };
        const ciIds = def.fields.flatMap((f) =>
          f.type === 'ci' && typeof values[f.key] === 'string' ? [values[f.key] as string] : [],
        );
        const ticket = await createTicketIn(db, CATALOGUE, {
          type: 'request',
          title: `${item.name} (${requestKey(r.number)})`.slice(0, 200),
          description: describe(def.fields, values),
          requesterId: me,
          impact: 3,
          urgency: 3,
          ...(def.tasks[0] ? { teamId: def.tasks[0].teamId } : {}),
          ...(ciIds.length ? { ciIds: [...new Set(ciIds)] } : {}),
        });
        if (item.sla_policy_id)
          await setTicketPolicyIn(db, ticket.id, item.sla_policy_id, 'item.slaPolicyId');
        for (const f of answers.files) {
          const [a] = await addAttachmentsIn(
            db,
            CATALOGUE,
            ticket.id,
            [bufferUpload(f.fileName, f.data)],
            {},
          );
          if (a) values[f.key] = { attachmentId: a.id, fileName: a.fileName };
        }
        await repo.setRequest(db, r.id, { ticket_id: ticket.id, answers: JSON.stringify(values) });
        await record(db, actor, 'catalogue.requested', { type: 'cat_request', id: r.id }, null, {
          item: item.name,
          key: requestKey(r.number),
          ticket: ticket.key,
          answers: values,
        });
        if (levels[0]) await notifyApprovers(db, r, { level: 1, ...levels[0] }, levels.length);
        else await startFulfilment(db, { ...r, ticket_id: ticket.id }, false);
        return r.id;
      });
      return get(actor, id);
    },
  };
}

/** The request service's type. */
export type RequestsService = ReturnType<typeof requestsService>;
