import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalBackend } from './backend/local.js';
import { newMasterKey } from './crypto.js';
import { WrongPasswordError } from './errors.js';
import { addKey, changePassword, listKeys, openKey, removeKey } from './keys.js';
import { TEST_KDF, tempDir, removeTempDirs } from './testkit.js';

afterAll(removeTempDirs);

async function backend(): Promise<LocalBackend> {
  const b = new LocalBackend(join(tempDir(), 'repo'));
  await b.create();
  return b;
}

describe('key files', () => {
  it('opens with the right password, rejects a wrong one, and supports several passwords', async () => {
    const b = await backend();
    const mk = newMasterKey();
    const id1 = await addKey(b, mk, 'one', { kdf: TEST_KDF, username: 'u', hostname: 'h' });
    const id2 = await addKey(b, mk, 'two', { kdf: TEST_KDF });
    const o1 = await openKey(b, 'one');
    expect(o1.keyId).toBe(id1);
    expect(o1.masterKey.encrypt.equals(mk.encrypt)).toBe(true);
    expect((await openKey(b, 'two')).keyId).toBe(id2);
    await expect(openKey(b, 'three')).rejects.toBeInstanceOf(WrongPasswordError);
    const keys = await listKeys(b);
    expect(keys.map((k) => k.id).sort()).toEqual([id1, id2].sort());
    expect(keys.find((k) => k.id === id1)).toMatchObject({ username: 'u', hostname: 'h', kdf: TEST_KDF });
  });

  it('writes key files in restic field order', async () => {
    const b = await backend();
    const id = await addKey(b, newMasterKey(), 'pw', { kdf: TEST_KDF, username: 'u', hostname: 'h' });
    const text = (await b.load({ type: 'key', name: id })).toString();
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'created',
      'username',
      'hostname',
      'kdf',
      'N',
      'r',
      'p',
      'salt',
      'data',
    ]);
    expect(Buffer.from((JSON.parse(text) as { salt: string }).salt, 'base64').length).toBe(64);
  });

  it('changes a password: new key works, old password fails, the in-use key is protected', async () => {
    const b = await backend();
    const mk = newMasterKey();
    await addKey(b, mk, 'old', { kdf: TEST_KDF });
    const opened = await openKey(b, 'old');
    await expect(removeKey(b, opened.keyId, opened.keyId)).rejects.toThrow(/in use/);
    const newId = await changePassword(b, opened, 'new', { kdf: TEST_KDF });
    await expect(openKey(b, 'old')).rejects.toBeInstanceOf(WrongPasswordError);
    const o = await openKey(b, 'new');
    expect(o.keyId).toBe(newId);
    expect(o.masterKey.macR.equals(mk.macR)).toBe(true);
  });

  it('says clearly when there are no keys at all', async () => {
    const b = await backend();
    await expect(openKey(b, 'x')).rejects.toThrow(/no key files/);
  });
});
