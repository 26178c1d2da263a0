import { describe, expect, it } from 'vitest';
import type { DrPlan } from '@contracts';
import { cycleOrder, moveUp, planBody, planDraft } from './drafts';

const a = { id: 'a', name: 'WEB-A' };
const b = { id: 'b', name: 'WEB-B' };
const c = { id: 'c', name: 'WEB-C' };
const x = { id: 'x', name: 'DB-X' };
const y = { id: 'y', name: 'DB-Y' };

describe('plan drafts', () => {
  it('orders a cycle by a person’s order, then by name', () => {
    expect(cycleOrder([c, b, a], []).map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(cycleOrder([a, b, c], ['c']).map((m) => m.id)).toEqual(['c', 'a', 'b']);
  });

  it('moves an item up within its cycle only, keeping every cycle in the order', () => {
    const cycles = [
      [a, b, c],
      [x, y],
    ];
    expect(moveUp(cycles, [], 0, 'c')).toEqual(['a', 'c', 'b', 'x', 'y']);
    expect(moveUp(cycles, ['a', 'c', 'b'], 0, 'c')).toEqual(['c', 'a', 'b', 'x', 'y']);
    expect(moveUp(cycles, [], 1, 'y')).toEqual(['a', 'b', 'c', 'y', 'x']);
    expect(moveUp(cycles, [], 0, 'a')).toEqual(['a', 'b', 'c', 'x', 'y']);
  });

  it('turns a stored plan into a draft and back into the body it came from', () => {
    const plan = {
      service: { id: 's', name: 'Payroll' },
      name: 'Payroll recovery',
      summary: '',
      rtoMinutes: 240,
      rpoMinutes: 60,
      owner: null,
      reviewDue: '2027-06-30',
      steps: [
        { title: 'Restore', body: '', owner: { id: 'u', name: 'Tom' }, expectedMinutes: null, items: [a] },
      ],
      contacts: [{ name: 'Vendor', role: '', phone: '1', email: '', user: null }],
      manualOrder: ['b', 'a'],
    } as unknown as DrPlan;
    expect(planBody(planDraft(plan))).toEqual({
      serviceId: 's',
      name: 'Payroll recovery',
      summary: '',
      rtoMinutes: 240,
      rpoMinutes: 60,
      ownerId: null,
      reviewDue: '2027-06-30',
      steps: [{ title: 'Restore', body: '', ownerId: 'u', expectedMinutes: null, items: ['a'] }],
      contacts: [{ name: 'Vendor', role: '', phone: '1', email: '', userId: null }],
      manualOrder: ['b', 'a'],
    });
    expect(planBody({ ...planDraft(plan), rtoMinutes: 'soon' }).rtoMinutes).toBeNaN();
  });
});
