/**
 * Dashboards: a person's own (nobody else learns they exist: 404) or shared with every KPI reader (managers and
 * admins share), made of cards kept with their filters; and the built-in defaults for the service-desk manager,
 * the IT manager and an agent, which are not stored (copy one to change it).
 */
import type { Dashboard, DashboardCard, DashboardInput, ShownCard } from '../../../contracts/index.js';
import type { Ctx } from '../../platform/context.js';
import { Forbidden, NotFound, Stale } from '../../platform/errors.js';
import { type Actor, allows, can } from '../../platform/permissions.js';
import { record } from '../../platform/audit/index.js';
import { teamIdsOf } from '../teams/index.js';
import { checkDimensions } from './kpis.service.js';
import { bucketsOf, cardDays } from './period.js';
import * as repo from './kpis.repository.js';

type Preset = NonNullable<Dashboard['preset']>;

const card = (
  kind: DashboardCard['kind'],
  kpi: DashboardCard['kpi'],
  extra: Partial<DashboardCard> = {},
): DashboardCard => ({ kind, kpi, period: 'last_30_days', granularity: 'day', ...extra });
const year = { period: 'last_12_months', granularity: 'month' } as const;

/** The built-in dashboards, by the role they are made for. */
export const PRESETS: Record<Preset, { name: string; cards: DashboardCard[] }> = {
  desk_manager: {
    name: 'Service desk',
    cards: [
      card('kpi', 'sla_response'),
      card('kpi', 'sla_resolution'),
      card('kpi', 'backlog'),
      card('kpi', 'backlog_age'),
      card('kpi', 'fcr'),
      card('kpi', 'reopen_rate'),
      card('kpi', 'csat'),
      card('kpi', 'mttr'),
      card('chart', 'sla_resolution', year),
      card('chart', 'backlog'),
      card('list', 'backlog'),
    ],
  },
  it_manager: {
    name: 'IT overview',
    cards: [
      card('kpi', 'sla_resolution', year),
      card('kpi', 'mttr', year),
      card('kpi', 'csat', year),
      card('kpi', 'change_success', year),
      card('kpi', 'backup_success'),
      card('kpi', 'rpo_compliance'),
      card('kpi', 'drill_pass', year),
      card('kpi', 'open_exposure'),
      card('chart', 'change_success', year),
      card('chart', 'open_exposure', year),
    ],
  },
  agent: {
    name: 'My team',
    cards: [
      card('kpi', 'backlog', { teamId: 'mine' }),
      card('kpi', 'backlog_age', { teamId: 'mine' }),
      card('kpi', 'sla_resolution', { teamId: 'mine' }),
      card('chart', 'backlog', { teamId: 'mine' }),
      card('list', 'backlog', { teamId: 'mine' }),
    ],
  },
};
export const PRESET_KEYS = Object.keys(PRESETS) as Preset[];

/** The cards with their days and the viewer's team. */
async function shown(ctx: Ctx, actor: Actor, cards: DashboardCard[]): Promise<ShownCard[]> {
  const mine = cards.some((c) => c.teamId === 'mine')
    ? ((await teamIdsOf(ctx.db, [actor.userId ?? ''])).get(actor.userId ?? '')?.[0] ?? null)
    : null;
  return cards.map((c) => ({
    ...c,
    ...cardDays(c.period),
    resolvedTeamId: c.teamId === 'mine' ? mine : (c.teamId ?? null),
  }));
}

async function view(ctx: Ctx, actor: Actor, r: repo.DashboardRow): Promise<Dashboard> {
  return {
    id: r.id,
    name: r.name,
    shared: r.shared,
    preset: null,
    owner: { id: r.owner_id, name: r.owner_name },
    mine: r.owner_id === actor.userId,
    cards: await shown(ctx, actor, r.cards),
    version: r.version,
  };
}

async function presetView(ctx: Ctx, actor: Actor, key: Preset): Promise<Dashboard> {
  const p = PRESETS[key];
  return {
    id: `preset-${key}`,
    name: p.name,
    shared: true,
    preset: key,
    owner: null,
    mine: false,
    cards: await shown(ctx, actor, p.cards),
    version: 1,
  };
}

/** The defaults, then the caller's own and the shared dashboards. */
export async function listDashboards(ctx: Ctx, actor: Actor): Promise<Dashboard[]> {
  can(actor, 'kpi:read');
  const rows = await repo.listDashboards(ctx.db, actor.userId ?? '');
  const presets = await Promise.all(PRESET_KEYS.map((k) => presetView(ctx, actor, k)));
  return [...presets, ...(await Promise.all(rows.map((r) => view(ctx, actor, r))))];
}

/** One dashboard (a default's id is `preset-<key>`); 404 for another person's own dashboard. */
export async function getDashboard(ctx: Ctx, actor: Actor, id: string): Promise<Dashboard> {
  can(actor, 'kpi:read');
  const preset = PRESET_KEYS.find((k) => id === `preset-${k}`);
  if (preset) return presetView(ctx, actor, preset);
  if (!UUID.test(id)) throw NotFound('dashboard');
  const row = await repo.findDashboard(ctx.db, id, actor.userId ?? '');
  if (!row) throw NotFound('dashboard');
  return view(ctx, actor, row);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cards must fit their KPI: a team or service filter only where the KPI is measured that way. */
function checkCards(cards: DashboardCard[]): void {
  for (const c of cards) {
    checkDimensions(c.kpi, c.teamId !== undefined, c.serviceId !== undefined);
    bucketsOf(cardDays(c.period), c.granularity);
  }
}

function checkShare(actor: Actor, input: DashboardInput): void {
  if (input.shared) can(actor, 'kpi:share');
}

/** Saves a new dashboard of the caller's. */
export async function createDashboard(ctx: Ctx, actor: Actor, input: DashboardInput): Promise<Dashboard> {
  can(actor, 'kpi:read');
  checkShare(actor, input);
  checkCards(input.cards);
  const id = await ctx.tx(async (db) => {
    const id = await repo.insertDashboard(db, { owner_id: actor.userId ?? '', ...input });
    await record(db, actor, 'dashboard.created', { type: 'dashboard', id }, null, { ...input });
    return id;
  });
  return getDashboard(ctx, actor, id);
}

/** Changes one of the caller's dashboards (If-Match version); someone else's is a 404, shared or not. */
export async function updateDashboard(
  ctx: Ctx,
  actor: Actor,
  id: string,
  version: number | undefined,
  input: DashboardInput,
): Promise<Dashboard> {
  can(actor, 'kpi:read');
  checkShare(actor, input);
  checkCards(input.cards);
  if (!UUID.test(id)) throw NotFound('dashboard'); // a role default is nobody's to change
  await ctx.tx(async (db) => {
    const before = await repo.findDashboard(db, id, actor.userId ?? '');
    if (!before) throw NotFound('dashboard');
    if (before.owner_id !== actor.userId) throw Forbidden('only its owner changes a dashboard');
    if (!(await repo.updateDashboard(db, id, before.owner_id, version, input))) throw Stale();
    const was = { name: before.name, shared: before.shared, cards: before.cards };
    await record(db, actor, 'dashboard.updated', { type: 'dashboard', id }, was, { ...input });
  });
  return getDashboard(ctx, actor, id);
}

/** Deletes one of the caller's dashboards (an admin may delete any shared one). */
export async function deleteDashboard(ctx: Ctx, actor: Actor, id: string): Promise<void> {
  can(actor, 'kpi:read');
  if (!UUID.test(id)) throw NotFound('dashboard'); // a role default is nobody's to delete
  await ctx.tx(async (db) => {
    const row = await repo.findDashboard(db, id, actor.userId ?? '');
    if (!row) throw NotFound('dashboard');
    if (row.owner_id !== actor.userId && !allows(actor, 'kpi:admin')) {
      throw Forbidden('only its owner or an admin deletes a shared dashboard');
    }
    await repo.deleteDashboard(db, id, row.owner_id);
    await record(db, actor, 'dashboard.deleted', { type: 'dashboard', id }, { name: row.name }, null);
  });
}
