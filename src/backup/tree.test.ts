import { describe, expect, it } from 'vitest';
import { FormatError } from './errors.js';
import { decodeTree, encodeNode, encodeTree, sortNodes, type Node } from './tree.js';
import { encodeSnapshot, decodeSnapshot, type Snapshot } from './snapshot.js';

const T = { ns: 1437765652580434775n, offset: 7200 };
const ID = 'a'.repeat(64);

describe('tree encoding', () => {
  it('writes an empty tree exactly', () => {
    expect(encodeTree([]).toString()).toBe('{"nodes":[]}\n');
  });

  it('writes a file node in restic field order with omitempty', () => {
    const n: Node = {
      name: Buffer.from('f'),
      type: 'file',
      mode: 0o644,
      mtime: T,
      atime: T,
      ctime: T,
      uid: 0,
      gid: 0,
      inode: 5n,
      deviceId: 2049n,
      size: 3,
      links: 1,
      content: [ID],
    };
    expect(encodeNode(n)).toBe(
      `{"name":"f","type":"file","mode":420,"mtime":"2015-07-24T21:20:52.580434775+02:00","atime":"2015-07-24T21:20:52.580434775+02:00","ctime":"2015-07-24T21:20:52.580434775+02:00","uid":0,"gid":0,"inode":5,"device_id":2049,"size":3,"links":1,"content":["${ID}"]}`,
    );
    const empty: Node = {
      name: Buffer.from('e'),
      type: 'file',
      mtime: T,
      atime: T,
      ctime: T,
      uid: 1,
      gid: 2,
      content: [],
    };
    expect(encodeNode(empty)).toContain('"uid":1,"gid":2,"content":[]}');
    const dir: Node = {
      name: Buffer.from('d'),
      type: 'dir',
      mode: 0x800001ed,
      mtime: T,
      atime: T,
      ctime: T,
      uid: 0,
      gid: 0,
      user: 'root',
      group: 'root',
      content: null,
      subtree: ID,
    };
    expect(encodeNode(dir)).toMatch(
      /"mode":2147484141,.*"gid":0,"user":"root","group":"root","content":null,"subtree":"a{64}"}$/,
    );
  });

  it('sorts by raw bytes, not by locale or UTF-16', () => {
    const mk = (s: string | Buffer): Node => ({
      name: Buffer.from(s),
      type: 'file',
      mtime: T,
      atime: T,
      ctime: T,
      uid: 0,
      gid: 0,
      content: [],
    });
    const names = sortNodes([
      mk('é'),
      mk('a'),
      mk('Z'),
      mk('\u{1f600}'),
      mk('\uff61'),
      mk(Buffer.from([0xff])),
    ]).map((n) => n.name.toString('hex'));
    expect(names).toEqual(['5a', '61', 'c3a9', 'efbda1', 'f09f9880', 'ff']);
  });

  it('round-trips every field, including big inodes and odd names', () => {
    const nodes: Node[] = sortNodes([
      {
        name: Buffer.from([0x61, 0xff, 0x0a, 0x22]),
        type: 'file',
        mode: 0o4755 | (1 << 23),
        mtime: T,
        atime: { ns: 1n, offset: 0 },
        ctime: T,
        uid: 1000,
        gid: 1000,
        inode: 18446744073709551615n,
        deviceId: 9007199254740993n,
        size: 12,
        links: 2,
        content: [ID, ID],
      },
      {
        name: Buffer.from('link<>&\u2028'),
        type: 'symlink',
        mode: 0x080001ff,
        mtime: T,
        atime: T,
        ctime: T,
        uid: 0,
        gid: 0,
        linktarget: Buffer.from('../x'),
        links: 1,
        content: null,
      },
      {
        name: Buffer.from('raw'),
        type: 'symlink',
        mtime: T,
        atime: T,
        ctime: T,
        uid: 0,
        gid: 0,
        linktarget: Buffer.from([0xef, 0xbf, 0xbd]),
        linktargetRaw: Buffer.from([0xff]),
        content: null,
        extendedAttributes: [{ name: 'user.x', value: Buffer.from('v') }],
      },
      {
        name: Buffer.from('dev'),
        type: 'chardev',
        mode: 0x04200000 | 0o660,
        mtime: T,
        atime: T,
        ctime: T,
        uid: 0,
        gid: 0,
        device: 259n,
        content: null,
        error: 'oops',
      },
    ]);
    const bytes = encodeTree(nodes);
    const back = decodeTree(bytes);
    expect(back.nodes).toEqual(nodes);
    expect(encodeTree(back.nodes).equals(bytes)).toBe(true);
  });

  it('rejects malformed trees', () => {
    expect(decodeTree(Buffer.from('{"nodes":[{"name":"a\\\\\\"b"}]}')).nodes[0]!.name.toString()).toBe('a"b');
    expect(() => decodeTree(Buffer.from('{"nodes":[{"name":"a\\"b"}]}'))).toThrow(FormatError); // Go Unquote refuses a bare quote
    expect(() => decodeTree(Buffer.from('{"nodes":[{"name":"a\\\\q"}]}'))).toThrow(FormatError);
    expect(() => decodeTree(Buffer.from('{"nodes":[{"name":"d","type":"dir","subtree":"xyz"}]}'))).toThrow(
      FormatError,
    );
    expect(() => decodeTree(Buffer.from('{"nodes":[{"name":"f","content":["nothex"]}]}'))).toThrow(
      FormatError,
    );
    expect(() => decodeTree(Buffer.from('not json'))).toThrow(FormatError);
  });
});

describe('snapshot encoding', () => {
  it('writes restic field order and round-trips', () => {
    const s: Snapshot = {
      time: T,
      parent: ID,
      tree: ID,
      paths: ['/home/u'],
      hostname: 'h',
      username: 'u',
      uid: 1000,
      gid: 1000,
      excludes: ['*.o'],
      tags: ['a<b'],
      programVersion: 'steward 0.1',
    };
    const j = encodeSnapshot(s);
    expect(j).toBe(
      `{"time":"2015-07-24T21:20:52.580434775+02:00","parent":"${ID}","tree":"${ID}","paths":["/home/u"],"hostname":"h","username":"u","uid":1000,"gid":1000,"excludes":["*.o"],"tags":["a\\u003cb"],"program_version":"steward 0.1"}`,
    );
    expect(decodeSnapshot(j)).toEqual(s);
    expect(encodeSnapshot({ time: T, tree: ID, paths: [] })).toBe(
      `{"time":"2015-07-24T21:20:52.580434775+02:00","tree":"${ID}","paths":[]}`,
    );
    expect(() => decodeSnapshot('{"time":"x","tree":"y"}')).toThrow(FormatError);
  });
});
