import { describe, expect, it } from 'vitest';
import type { DrillStep } from '@contracts';
import { translator } from '../../../i18n/translator';
import { duration, stepText, versusTarget } from './labels';

const en = translator('en');
const de = translator('de');

const step = (over: Partial<DrillStep>): DrillStep =>
  ({
    position: 1,
    kind: 'restore',
    title: 'Restore pay-db',
    status: 'passed',
    files: 2,
    verifiedFiles: 2,
    mismatches: 0,
    error: null,
    tickedAt: null,
    tickedBy: null,
    ...over,
  }) as DrillStep;

describe('drill labels', () => {
  it('reads durations and targets in English and German', () => {
    expect(duration(en, 42)).toBe('42 s');
    expect(duration(en, 720)).toBe('12 min');
    expect(duration(en, 4 * 3600)).toBe('4.0 h');
    expect(versusTarget(en, 720, 4 * 3600)).toEqual({ text: '12 min (target 4.0 h)', ok: true });
    expect(duration(de, 3.5 * 3600)).toBe('3,5 Std.');
    expect(versusTarget(de, 720, 600).text).toBe('12 Min. (Ziel 10 Min.)');
  });

  it('says what a step did, with plural rules per language', () => {
    expect(stepText(en, step({}))).toBe('2 of 2 files restored and verified');
    expect(stepText(en, step({ files: 1, verifiedFiles: 1 }))).toBe('1 of 1 file restored and verified');
    expect(stepText(de, step({ mismatches: 1 }))).toBe('Abweichung vom Snapshot bei 1 von 2 Dateien');
    expect(stepText(de, step({ kind: 'manual', tickedAt: '2026-01-01T00:00:00Z', tickedBy: 'Mia' }))).toBe(
      'Abgehakt von Mia',
    );
  });
});
