// A plan being edited, as form state (text as typed), and the request body it becomes.
import type { CreateDrPlan, DrPlan } from '@contracts';

/** A runbook step as typed. */
export interface StepDraft {
  key: number;
  title: string;
  body: string;
  ownerId: string;
  expectedMinutes: string;
  items: string[];
}

/** A contact as typed. */
export interface ContactDraft {
  key: number;
  name: string;
  role: string;
  phone: string;
  email: string;
  userId: string;
}

/** The whole form. */
export interface PlanDraft {
  serviceId: string;
  name: string;
  summary: string;
  rtoMinutes: string;
  rpoMinutes: string;
  ownerId: string;
  reviewDue: string;
  steps: StepDraft[];
  contacts: ContactDraft[];
  manualOrder: string[];
}

let next = 0;
/** A key for a new row (React keys must survive reordering and removal). */
export const rowKey = () => ++next;

/** An empty step. */
export const newStep = (): StepDraft => ({
  key: rowKey(),
  title: '',
  body: '',
  ownerId: '',
  expectedMinutes: '',
  items: [],
});

/** An empty contact. */
export const newContact = (): ContactDraft => ({
  key: rowKey(),
  name: '',
  role: '',
  phone: '',
  email: '',
  userId: '',
});

/** A draft of `plan`, or an empty one with a review date a year from now. */
export function planDraft(plan?: DrPlan): PlanDraft {
  if (!plan)
    return {
      serviceId: '',
      name: '',
      summary: '',
      rtoMinutes: '240',
      rpoMinutes: '1440',
      ownerId: '',
      reviewDue: new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
      steps: [],
      contacts: [],
      manualOrder: [],
    };
  return {
    serviceId: plan.service.id,
    name: plan.name,
    summary: plan.summary,
    rtoMinutes: String(plan.rtoMinutes),
    rpoMinutes: String(plan.rpoMinutes),
    ownerId: plan.owner?.id ?? '',
    reviewDue: plan.reviewDue,
    steps: plan.steps.map((s) => ({
      key: rowKey(),
      title: s.title,
      body: s.body,
      ownerId: s.owner?.id ?? '',
      expectedMinutes: s.expectedMinutes === null ? '' : String(s.expectedMinutes),
      items: s.items.map((i) => i.id),
    })),
    contacts: plan.contacts.map((c) => ({
      key: rowKey(),
      name: c.name,
      role: c.role,
      phone: c.phone,
      email: c.email,
      userId: c.user?.id ?? '',
    })),
    manualOrder: plan.manualOrder,
  };
}

/** A number as typed: the number, or NaN (which the server refuses naming the field) when it is not one. */
const number = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

/** The request body of a draft. */
export function planBody(d: PlanDraft): CreateDrPlan {
  return {
    serviceId: d.serviceId,
    name: d.name,
    summary: d.summary,
    rtoMinutes: number(d.rtoMinutes),
    rpoMinutes: number(d.rpoMinutes),
    ownerId: d.ownerId || null,
    reviewDue: d.reviewDue,
    steps: d.steps.map((s) => ({
      title: s.title,
      body: s.body,
      ownerId: s.ownerId || null,
      expectedMinutes: s.expectedMinutes.trim() === '' ? null : number(s.expectedMinutes),
      items: s.items,
    })),
    contacts: d.contacts.map((c) => ({
      name: c.name,
      role: c.role,
      phone: c.phone,
      email: c.email,
      userId: c.userId || null,
    })),
    manualOrder: d.manualOrder,
  };
}

/** The members of a cycle in the order the draft gives them (a person's order first, then by name). */
export function cycleOrder<T extends { id: string; name: string }>(
  items: readonly T[],
  manual: readonly string[],
) {
  const at = (id: string) => {
    const i = manual.indexOf(id);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...items].sort((a, b) => at(a.id) - at(b.id) || a.name.localeCompare(b.name));
}

/** The manual order after moving item `id` of `cycle` one place up. */
export function moveUp<T extends { id: string; name: string }>(
  cycles: readonly (readonly T[])[],
  manual: readonly string[],
  cycle: number,
  id: string,
): string[] {
  return cycles.flatMap((members, n) => {
    const order = cycleOrder(members, manual).map((m) => m.id);
    if (n === cycle) {
      const i = order.indexOf(id);
      if (i > 0) [order[i - 1], order[i]] = [order[i]!, order[i - 1]!];
    }
    return order;
  });
}
