/** `repo prune` option parsing: sizes and `--max-unused` as restic takes them. */
import { describe, expect, it } from 'vitest';
import { parseMaxUnused, parseSize } from './repo-maint.js';

describe('prune option parsing', () => {
  it('takes sizes, percentages and unlimited; refuses the rest clearly', () => {
    expect(() => parseSize('lots', 'max-repack-size')).toThrow(/--max-repack-size must be a size/);
    expect(parseSize('500M', 'x')).toBe(500 * 1024 ** 2);
    expect(parseSize('2G', 'x')).toBe(2 * 1024 ** 3);
    expect(parseSize('1234', 'x')).toBe(1234);
    expect(parseMaxUnused('unlimited')).toBe('unlimited');
    expect(parseMaxUnused('10M')).toEqual({ bytes: 10 * 1024 ** 2 });
    expect(parseMaxUnused('5%')).toBe(0.05);
    expect(() => parseMaxUnused('five')).toThrow(/--max-unused must be/);
    expect(() => parseMaxUnused('100%')).toThrow(/below 100%/);
  });
});
