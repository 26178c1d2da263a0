import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { buildServer } from '../main.js';
import { freshDatabase } from '../../../test/support/db.js';
import { loadMasterKey, MasterKeyError } from './master-key.js';

const dir = mkdtempSync(join(tmpdir(), 'steward-mk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the master key file', () => {
  it('is created on first use with mode 0600 and 32 random bytes, then read back unchanged', () => {
    const file = join(dir, 'sub', 'master.key');
    const a = loadMasterKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    const b = loadMasterKey(file);
    expect(b.derive('audit-chain').equals(a.derive('audit-chain'))).toBe(true);
    expect(loadMasterKey(join(dir, 'other.key')).derive('audit-chain').equals(a.derive('audit-chain'))).toBe(
      false,
    );
  });

  it('derives a different key per purpose, and never prints itself', () => {
    const k = loadMasterKey(join(dir, 'p.key'));
    expect(k.derive('audit-chain').equals(k.derive('vault'))).toBe(false);
    const raw = readFileSync(join(dir, 'p.key'), 'utf8').trim();
    for (const shown of [JSON.stringify({ k }), String(k), inspect(k)]) {
      expect(shown).toContain('[MasterKey]');
      expect(shown).not.toContain(raw);
    }
  });

  it('accepts 64 hex digits, and refuses a malformed or unreadable file with a clear error', () => {
    const hex = join(dir, 'hex.key');
    writeFileSync(hex, `${'ab'.repeat(32)}\n`);
    expect(() => loadMasterKey(hex)).not.toThrow();
    const bad = join(dir, 'bad.key');
    writeFileSync(bad, 'not a key\n');
    expect(() => loadMasterKey(bad)).toThrow(MasterKeyError);
    expect(() => loadMasterKey(bad)).toThrow(/bad\.key does not hold a key/);
    expect(() => loadMasterKey(join(dir, 'absent.key'), { create: false })).toThrow(/cannot read .*ENOENT/);
    expect(() => loadMasterKey(dir)).toThrow(/cannot read/);
  });

  it('stops the server start with that error', async () => {
    const bad = join(dir, 'start.key');
    writeFileSync(bad, 'short');
    chmodSync(bad, 0o600);
    const database = await freshDatabase();
    try {
      await expect(
        buildServer(
          loadConfig({ STEWARD_DATA_DIR: dir, LOG_LEVEL: 'silent', STEWARD_MASTER_KEY_FILE: bad }),
          {
            database,
            logger: false,
          },
        ),
      ).rejects.toThrow(/start\.key does not hold a key/);
    } finally {
      await database.close();
    }
  });
});
