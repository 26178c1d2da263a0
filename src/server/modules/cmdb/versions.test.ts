import { describe, expect, it } from 'vitest';
import { compareVersions, inRange, rangeProblem } from './versions.js';

describe('licence version ranges', () => {
  it('compares versions part by part, numbers as numbers', () => {
    expect(compareVersions('2.10', '2.9')).toBeGreaterThan(0);
    expect(compareVersions('16.0', '16')).toBe(0);
    expect(compareVersions('3.1.4', '3.2')).toBeLessThan(0);
  });

  it('matches bare versions and wildcards by their leading parts', () => {
    expect(inRange('16.0.4', '16')).toBe(true);
    expect(inRange('160.1', '16')).toBe(false);
    expect(inRange('2.7', '2.x')).toBe(true);
    expect(inRange('3.0', '2.x')).toBe(false);
    expect(inRange('2.1.9', '2.1.*')).toBe(true);
    expect(inRange('2.2', '2.1.*')).toBe(false);
  });

  it('combines comparisons, all of which must hold', () => {
    expect(inRange('3.1', '>=3.1 <4')).toBe(true);
    expect(inRange('3.9.9', '>=3.1 <4')).toBe(true);
    expect(inRange('4.0', '>=3.1 <4')).toBe(false);
    expect(inRange('3.0.9', '>=3.1 <4')).toBe(false);
    expect(inRange('5', '=5.0')).toBe(true);
  });

  it('treats an empty range or * as every version, and no version as only those', () => {
    expect(inRange(null, '*')).toBe(true);
    expect(inRange('1.0', '')).toBe(true);
    expect(inRange(null, '2.x')).toBe(false);
  });

  it('names what is wrong with a range', () => {
    expect(rangeProblem('>=3.1 <4')).toBeNull();
    expect(rangeProblem('~3.1')).toBe('not a version condition: ~3.1');
    expect(rangeProblem('latest')).toBe('not a version condition: latest');
  });
});
