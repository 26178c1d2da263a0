import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript build script without type declarations
import { compileWat } from '../../scripts/build-wasm.mjs';
import { WASM_BASE64 as CHUNKER } from './chunker-wasm.js';
import { WASM_BASE64 as POLY1305 } from './poly1305-wasm.js';

describe('embedded WebAssembly modules', () => {
  it.each([
    ['poly1305', POLY1305],
    ['chunker', CHUNKER],
  ])('%s-wasm.ts holds the module compiled from the current %s.wat', async (name, embedded) => {
    const wat = readFileSync(new URL(`./${name}.wat`, import.meta.url), 'utf8');
    const bytes = (await compileWat(`${name}.wat`, wat)) as Buffer;
    expect(bytes.toString('base64'), 'run `node scripts/build-wasm.mjs`').toBe(embedded);
  });
});
