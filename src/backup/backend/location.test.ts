import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBackend } from './local.js';
import { LocationError, openBackend, parseLocation } from './location.js';
import { RestBackend } from './rest.js';
import { S3Backend } from './s3.js';
import { SftpBackend } from './sftp.js';

describe('parseLocation', () => {
  it('reads local paths', () => {
    expect(parseLocation('/srv/repo')).toEqual({ kind: 'local', path: '/srv/repo' });
    expect(parseLocation('local:/srv/repo')).toEqual({ kind: 'local', path: '/srv/repo' });
    expect(parseLocation('relative/repo')).toEqual({ kind: 'local', path: 'relative/repo' });
  });

  it('reads both sftp forms', () => {
    expect(parseLocation('sftp:backup@host.example:/srv/repo')).toEqual({
      kind: 'sftp',
      user: 'backup',
      host: 'host.example',
      port: undefined,
      path: '/srv/repo',
    });
    expect(parseLocation('sftp:host:rel/repo')).toEqual({
      kind: 'sftp',
      user: undefined,
      host: 'host',
      port: undefined,
      path: 'rel/repo',
    });
    expect(parseLocation('sftp:u@[::1]:/r:with@odd')).toEqual({
      kind: 'sftp',
      user: 'u',
      host: '::1',
      port: undefined,
      path: '/r:with@odd',
    });
    expect(parseLocation('sftp://u@host:2222//srv/repo')).toEqual({
      kind: 'sftp',
      user: 'u',
      host: 'host',
      port: 2222,
      path: '/srv/repo',
    });
    expect(parseLocation('sftp://u@host:2222/relative')).toEqual({
      kind: 'sftp',
      user: 'u',
      host: 'host',
      port: 2222,
      path: 'relative',
    });
    expect(parseLocation('sftp://u@[::1]:2222//r')).toEqual({
      kind: 'sftp',
      user: 'u',
      host: '::1',
      port: 2222,
      path: '/r',
    });
    expect(() => parseLocation('sftp:hostonly')).toThrow(LocationError);
    expect(() => parseLocation('sftp://host')).toThrow(LocationError);
  });

  it('reads rest and s3 locations', () => {
    expect(parseLocation('rest:http://u:p@h:8000/r/')).toEqual({ kind: 'rest', url: 'http://u:p@h:8000/r/' });
    expect(() => parseLocation('rest:ftp://h/')).toThrow(LocationError);
    expect(parseLocation('s3:http://127.0.0.1:9000/bucket/a/b')).toEqual({
      kind: 's3',
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'bucket',
      prefix: 'a/b',
    });
    expect(parseLocation('s3:s3.amazonaws.com/bucket')).toEqual({
      kind: 's3',
      endpoint: 'https://s3.amazonaws.com',
      bucket: 'bucket',
      prefix: '',
    });
    expect(() => parseLocation('s3:http://host:9000/')).toThrow(/no bucket/);
    expect(() => parseLocation('s3:http://key:secret@host/b')).toThrow(/AWS_ACCESS_KEY_ID/);
    expect(() => parseLocation('b2:bucket:path')).toThrow(/not supported/);
    expect(() => parseLocation('')).toThrow(LocationError);
  });
});

describe('openBackend', () => {
  it('builds the matching backend, with secrets from env and none in the location', async () => {
    expect(await openBackend('/tmp/x', {})).toBeInstanceOf(LocalBackend);
    const rest = await openBackend('rest:http://u:pw-in-url@127.0.0.1:1/r/', {});
    expect(rest).toBeInstanceOf(RestBackend);
    expect(rest.location).toBe('rest:http://u@127.0.0.1:1/r/');
    const s3 = await openBackend('s3:http://127.0.0.1:1/b/p', {
      AWS_ACCESS_KEY_ID: 'AK',
      AWS_SECRET_ACCESS_KEY: 'SK-secret',
    });
    expect(s3).toBeInstanceOf(S3Backend);
    expect(s3.location).toBe('s3:http://127.0.0.1:1/b/p');
    await expect(openBackend('s3:http://127.0.0.1:1/b/p', {})).rejects.toThrow(/AWS_ACCESS_KEY_ID/);
  });

  it('reads the SFTP identity and known_hosts files named in env', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-loc-'));
    try {
      const { privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
      });
      writeFileSync(join(dir, 'id'), privateKey);
      writeFileSync(join(dir, 'bad'), 'not really a key');
      writeFileSync(join(dir, 'kh'), '');
      const b = await openBackend('sftp://me@127.0.0.1:2222//srv/r', {
        STEWARD_SFTP_IDENTITY: join(dir, 'id'),
        STEWARD_SFTP_KNOWN_HOSTS: join(dir, 'kh'),
      });
      expect(b).toBeInstanceOf(SftpBackend);
      expect(b.location).toBe('sftp://me@127.0.0.1:2222//srv/r');
      expect((await openBackend('sftp:h:/r', { USER: 'alice' })).location).toBe('sftp:alice@h:/r');
      await expect(
        openBackend('sftp:h:/r', { USER: 'a', STEWARD_SFTP_IDENTITY: join(dir, 'missing') }),
      ).rejects.toThrow(/does not exist/);
      await expect(openBackend('sftp:h:/r', {})).rejects.toThrow(/no user name/);
      await expect(openBackend('sftp:u@h:/r', { STEWARD_SFTP_IDENTITY: join(dir, 'bad') })).rejects.toThrow(
        /cannot use identity file/,
      );
      // an unusable default key (~/.ssh/id_ed25519) is skipped, not fatal
      mkdirSync(join(dir, '.ssh'));
      writeFileSync(join(dir, '.ssh', 'id_ed25519'), 'garbage');
      expect(await openBackend('sftp:u@h:/r', { HOME: dir })).toBeInstanceOf(SftpBackend);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
