import { describe, expect, it } from 'vitest';
import type { ChangeConflict, RiskReason } from '@contracts';
import { translator } from '../../i18n/translator';
import { conflictText, riskReasonText } from './reasons';

const reason = (code: RiskReason['code'], params: RiskReason['params'], text = 'English'): RiskReason => ({
  code,
  params,
  text,
  points: 1,
});
const conflict = (kind: ChangeConflict['kind'], params: ChangeConflict['params']): ChangeConflict => ({
  kind,
  params,
  message: 'English',
  changeId: null,
  changeKey: null,
});

describe('risk reasons and conflicts in the reader’s language', () => {
  const en = translator('en');
  const de = translator('de');

  it('says each risk reason from its code and values, as the server does in English', () => {
    expect(riskReasonText(en, reason('services', { count: 1, names: 'Payroll', more: 0 }))).toBe(
      'Affects 1 business service: Payroll',
    );
    expect(riskReasonText(en, reason('services', { count: 7, names: 'A, B, C, D, E', more: 2 }))).toBe(
      'Affects 7 business services: A, B, C, D, E and 2 more',
    );
    expect(riskReasonText(en, reason('owners', { count: 1 }))).toBe('1 person owns affected items');
    expect(riskReasonText(en, reason('incidents', { count: 2, atLeast: 0, keys: 'INC-1, INC-2' }))).toBe(
      '2 open incidents on affected items: INC-1, INC-2',
    );
    expect(riskReasonText(en, reason('no_backup', { names: 'db-1', more: 0 }))).toBe(
      'No successful backup in the last 7 days of db-1',
    );
    expect(riskReasonText(en, reason('question', { question: 'Downtime?' }))).toBe('“Downtime?”: yes');
    expect(riskReasonText(de, reason('services', { count: 2, names: 'Lohn, Mail', more: 0 }))).toBe(
      'Betrifft 2 Geschäftsservices: Lohn, Mail',
    );
    expect(riskReasonText(de, reason('other_changes', { count: 1 }))).toBe(
      '1 weiterer Change in Arbeit auf denselben oder abhängigen Elementen',
    );
    expect(riskReasonText(de, reason('no_items', {}))).toBe(
      'Keine Konfigurationselemente angegeben: die Auswirkung ist unbekannt',
    );
    // A reason stored before the codes keeps its English text.
    expect(riskReasonText(de, reason('other', {}, 'Old reason'))).toBe('Old reason');
  });

  it('says each conflict, items by name, "an item" when it is gone', () => {
    const p = { change: 'CHG-7', title: 'Upgrade db-1', item: 'db-1' };
    expect(conflictText(en, conflict('same_item', p))).toBe(
      'CHG-7 “Upgrade db-1” also changes db-1 at the same time',
    );
    expect(conflictText(en, conflict('related_item', { ...p, side: 'upstream' }))).toBe(
      'CHG-7 “Upgrade db-1” changes db-1, which this change’s items rely on, at the same time',
    );
    expect(conflictText(de, conflict('related_item', { ...p, side: 'downstream' }))).toBe(
      'CHG-7 „Upgrade db-1“ ändert zur gleichen Zeit db-1, das von den Elementen dieses Changes abhängt',
    );
    expect(conflictText(de, conflict('outside_maintenance', { item: '' }))).toBe(
      'Außerhalb der Wartungsfenster von ein Element',
    );
    expect(conflictText(en, conflict('implementer_booked', p))).toBe(
      'The implementer is already booked on CHG-7 “Upgrade db-1” at the same time',
    );
    const blackout = conflictText(
      de,
      conflict('blackout', {
        name: 'Jahresende',
        item: '',
        start: '2031-12-20T00:00:00.000Z',
        end: '2032-01-02T00:00:00.000Z',
      }),
    );
    expect(blackout).toMatch(/^In der Sperrzeit „Jahresende“ \(.+ bis .+\)$/);
  });
});
