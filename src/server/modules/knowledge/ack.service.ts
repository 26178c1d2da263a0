/**
 * Policy acknowledgement: a published policy asks everyone, a role or a team to read and acknowledge its
 * published version; progress shows who has and who has not; a daily job reminds those who have not.
 */
import { z } from 'zod';
import {
  type CampaignProgress,
  type PendingAcknowledgement,
  StartCampaign,
} from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { Conflict, Invalid, NotFound } from '../../platform/errors.js';
import { cronSchedule, jobType } from '../../platform/jobs/index.js';
import { type Actor, can } from '../../platform/permissions.js';
import { remind } from '../notifications/index.js';
import { existingTeamIds, teamNames } from '../teams/index.js';
import * as acks from './ack.repository.js';
import { targets } from './audience.js';
import { nameOf, visibleArticle } from './knowledge.service.js';
import * as repo from './knowledge.repository.js';
import { articleKey } from './view.js';

/** The job that reminds people of the policies they have not acknowledged, and owners of review dates. */
export const KB_REMINDER_JOB = 'kb.reminders';
/** How many days ahead an owner is reminded of an article's review date. */
export const REVIEW_REMIND_DAYS = 7;

/** A published (not retired) policy the actor may see, locked with `lock`. */
async function publishedPolicy(db: Ctx['db'], actor: Actor, id: string, lock = false) {
  const r = await visibleArticle(db, actor, id, lock);
  if (r.kind !== 'policy') throw Conflict('only a policy asks for acknowledgement', 'not_a_policy');
  if (r.published_version === null || r.status === 'retired')
    throw Conflict('only a published policy asks for acknowledgement', 'not_published');
  return r;
}

/** The acknowledgement service, for the routes. */
export function acknowledgementService(ctx: Ctx) {
  const progress = async (actor: Actor, id: string): Promise<CampaignProgress> => {
    can(actor, 'kb:admin');
    await visibleArticle(ctx.db, actor, id);
    const c = await acks.findCampaign(ctx.db, id);
    if (!c) throw NotFound('acknowledgement campaign');
    const [people, given, team] = await Promise.all([
      targets(ctx.db, c),
      acks.acknowledgements(ctx.db, id, c.version),
      teamNames(ctx.db, c.team_id ? [c.team_id] : []),
    ]);
    const person = (p: { id: string; name: string }) => ({
      ...p,
      at: given.get(p.id)?.toISOString() ?? null,
    });
    return {
      target: c.target,
      role: c.role,
      teamId: c.team_id,
      teamName: c.team_id ? (team.get(c.team_id) ?? null) : null,
      version: c.version,
      dueOn: c.due_on,
      startedBy: c.started_by,
      total: people.length,
      acknowledged: people.filter((p) => given.has(p.id)).map(person),
      pending: people.filter((p) => !given.has(p.id)).map(person),
    };
  };
  return {
    progress,
    /** Starts (or replaces) the campaign of a published policy (managers and admins). */
    async start(actor: Actor, id: string, raw: StartCampaign): Promise<CampaignProgress> {
      can(actor, 'kb:admin');
      const c = StartCampaign.parse(raw);
      if (c.teamId && !(await existingTeamIds(ctx.db, [c.teamId])).has(c.teamId))
        throw Invalid('no such team', [{ path: 'teamId', message: 'no such team' }]);
      await ctx.tx(async (db) => {
        const r = await publishedPolicy(db, actor, id, true);
        const row = {
          article_id: id,
          target: c.target,
          role: c.role ?? null,
          team_id: c.teamId ?? null,
          version: r.published_version!,
          due_on: c.dueOn ?? null,
          started_by: await nameOf(db, actor),
        };
        await acks.putCampaign(db, row);
        await record(db, actor, 'kb.campaign_started', { type: 'kb_article', id }, null, { ...row });
      });
      return progress(actor, id);
    },
    async end(actor: Actor, id: string): Promise<void> {
      can(actor, 'kb:admin');
      await ctx.tx(async (db) => {
        await visibleArticle(db, actor, id, true);
        if (!(await acks.endCampaign(db, id))) throw NotFound('acknowledgement campaign');
        await record(db, actor, 'kb.campaign_ended', { type: 'kb_article', id }, null, null);
      });
    },
    /** The caller acknowledges the published version they are asked to (once; again is a no-op). */
    async acknowledge(actor: Actor, id: string): Promise<void> {
      can(actor, 'kb:read');
      const me = actor.userId;
      if (!me) throw Conflict('only a person acknowledges a policy', 'not_a_person');
      await ctx.tx(async (db) => {
        await publishedPolicy(db, actor, id);
        const c = await acks.findCampaign(db, id);
        if (!c || !(await targets(db, c)).some((p) => p.id === me))
          throw Conflict('you are not asked to acknowledge this policy', 'not_asked');
        if (await acks.acknowledge(db, id, c.version, me))
          await record(db, actor, 'kb.acknowledged', { type: 'kb_article', id }, null, {
            version: c.version,
          });
      });
    },
    /** The published policies waiting for the caller's acknowledgement. */
    async mine(actor: Actor): Promise<PendingAcknowledgement[]> {
      can(actor, 'kb:read');
      const me = actor.userId;
      if (!me) return [];
      const out: PendingAcknowledgement[] = [];
      for (const c of await acks.liveCampaigns(ctx.db)) {
        if (!(await targets(ctx.db, c)).some((p) => p.id === me)) continue;
        if ((await acks.acknowledgements(ctx.db, c.article_id, c.version)).has(me)) continue;
        out.push({
          id: c.article_id,
          key: articleKey(c.number),
          title: c.title,
          version: c.version,
          dueOn: c.due_on,
        });
      }
      return out;
    },
  };
}

/** Reminds, once a day, everyone who has not acknowledged a live campaign's policy; returns how many people. */
export async function sendAcknowledgementReminders(ctx: Ctx): Promise<number> {
  let sent = 0;
  for (const c of await acks.liveCampaigns(ctx.db))
    await ctx.tx(async (db) => {
      if (!(await acks.markReminded(db, c.article_id))) return;
      const given = await acks.acknowledgements(db, c.article_id, c.version);
      const to = (await targets(db, c)).filter((p) => !given.has(p.id)).map((p) => p.id);
      sent += await remind(db, {
        to,
        item: { id: c.article_id, name: `the policy “${c.title}”`, path: `/kb/${c.article_id}` },
        what: 'Your acknowledgement',
        date: c.due_on ?? 'as soon as you can',
      });
    });
  return sent;
}

/** Reminds owners of the review dates falling within {@link REVIEW_REMIND_DAYS}, once per date. */
export async function sendReviewReminders(ctx: Ctx, now = new Date()): Promise<number> {
  const until = new Date(now.getTime() + REVIEW_REMIND_DAYS * 86_400_000).toISOString().slice(0, 10);
  let sent = 0;
  for (;;) {
    const due = await repo.reviewsDue(ctx.db, until, 100);
    if (due.length === 0) return sent;
    for (const d of due)
      await ctx.tx(async (db) => {
        if (!(await repo.markReviewReminded(db, d.id, d.review_at!))) return;
        if (!d.owner_id) return;
        await remind(db, {
          to: [d.owner_id],
          item: { id: d.id, name: `the article ${articleKey(d.number)}`, path: `/kb/${d.id}` },
          what: 'The review',
          date: d.review_at!,
        });
        sent++;
      });
  }
}

/** The knowledge base's daily reminders job and its schedule. */
export function knowledgeJobs() {
  return {
    types: [
      jobType(KB_REMINDER_JOB, {
        schema: z.object({}).loose(),
        handler: async (ctx) => {
          await sendReviewReminders(ctx);
          await sendAcknowledgementReminders(ctx);
        },
        maxAttempts: 3,
      }),
    ],
    schedules: [cronSchedule(KB_REMINDER_JOB, '30 7 * * *', { timezone: 'UTC' })],
  };
}
