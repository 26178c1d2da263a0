import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@contracts';
import { changesOf, lineOf } from './history';

const entry = (action: string, before: AuditEntry['before'], after: AuditEntry['after']): AuditEntry => ({
  id: '1',
  at: '2026-01-01T00:00:00Z',
  actorId: null,
  actorLabel: 'Ada',
  action,
  entityType: 'ci',
  entityId: 'me',
  before,
  after,
  ip: null,
  seq: null,
  hash: null,
});

describe('item history', () => {
  it('lists the changed fields, custom ones key by key, and leaves out bookkeeping', () => {
    expect(
      changesOf(
        { name: 'a', status: 'deployed', version: 1, updatedAt: 'x', custom: { seats: 5, product: 'p' } },
        { name: 'b', status: 'deployed', version: 2, updatedAt: 'y', custom: { seats: 7, product: 'p' } },
      ),
    ).toEqual([
      { field: 'name', before: 'a', after: 'b' },
      { field: 'custom.seats', before: 5, after: 7 },
    ]);
  });

  it('reads creations, imports and relationships from either end', () => {
    expect(lineOf(entry('ci.created', null, { via: 'csv' }), 'me')).toEqual({ kind: 'created', via: 'csv' });
    const rel = { fromId: 'other', type: 'depends_on', toId: 'me' };
    expect(lineOf(entry('ci.related', null, rel), 'me')).toEqual({
      kind: 'related',
      type: 'depends_on',
      outgoing: false,
      otherId: 'other',
    });
    expect(lineOf(entry('ci.unrelated', rel, null), 'other')).toMatchObject({
      kind: 'unrelated',
      outgoing: true,
      otherId: 'me',
    });
    expect(lineOf(entry('ci.weird', null, null), 'me')).toEqual({ kind: 'other', action: 'ci.weird' });
    expect(
      lineOf(entry('backup.run_reported', null, { status: 'failed', error: 'disk full' }), 'me'),
    ).toEqual({
      kind: 'backup_run',
      status: 'failed',
      error: 'disk full',
    });
  });

  it('reads a computer’s software changes, and the part about one installation', () => {
    const after = {
      added: [
        { id: 'i2', product: 'zsh', version: '5.9' },
        { id: 'i1', product: 'bash', version: '5.2' },
      ],
      reinstalled: [],
      removed: [{ id: 'i3', product: 'vim', version: '9.0' }],
    };
    expect(lineOf(entry('ci.software_changed', null, after), 'me')).toEqual({
      kind: 'software',
      onComputer: true,
      added: ['bash 5.2', 'zsh 5.9'],
      reinstalled: [],
      removed: ['vim 9.0'],
    });
    expect(lineOf(entry('ci.software_changed', null, { removed: after.removed }), 'i3')).toMatchObject({
      kind: 'software',
      onComputer: false,
      added: [],
      removed: ['vim 9.0'],
    });
  });
});
