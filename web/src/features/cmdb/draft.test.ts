import { describe, expect, it } from 'vitest';
import type { Ci, CiClass } from '@contracts';
import { createBody, customValues, draftOf, emptyDraft, updateBody } from './draft';

const licence: CiClass = {
  key: 'licence',
  name: 'Licence',
  kind: 'licence',
  builtin: true,
  version: 1,
  fields: [
    { key: 'product', label: 'Product', type: 'text', required: true },
    { key: 'seats', label: 'Seats', type: 'number', required: true },
    { key: 'renews', label: 'Renews', type: 'boolean', required: false },
  ],
};

const ci: Ci = {
  id: '00000000-0000-4000-8000-000000000001',
  classKey: 'licence',
  assetTag: 'LIC-1',
  name: 'Office',
  serial: null,
  model: null,
  manufacturer: null,
  status: 'deployed',
  ownerId: null,
  teamId: null,
  locationId: null,
  purchaseDate: '2026-01-02',
  cost: '100.00',
  warrantyEnd: null,
  notes: '',
  custom: { product: 'office', seats: 5 },
  createdAt: '2026-01-02T00:00:00Z',
  updatedAt: '2026-01-02T00:00:00Z',
  version: 3,
};

describe('item drafts', () => {
  it('types custom values by the class: numbers parsed, empty left out, a bad number kept for the server', () => {
    expect(customValues(licence.fields, { product: ' office ', seats: '5', renews: true })).toEqual({
      product: 'office',
      seats: 5,
      renews: true,
    });
    expect(customValues(licence.fields, { product: '', seats: 'five' })).toEqual({ seats: 'five' });
  });

  it('creates with only the fields filled in', () => {
    const d = {
      ...emptyDraft('licence'),
      name: ' Office ',
      assetTag: 'LIC-1',
      custom: { product: 'office', seats: '5' },
    };
    expect(createBody(d, licence)).toEqual({
      classKey: 'licence',
      name: 'Office',
      status: 'in_stock',
      notes: '',
      assetTag: 'LIC-1',
      custom: { product: 'office', seats: 5 },
    });
  });

  it('patches only what changed, clearing a field to null', () => {
    const d = draftOf(ci);
    expect(updateBody(ci, d, licence)).toEqual({});
    expect(
      updateBody(ci, { ...d, cost: '', status: 'retired', custom: { ...d.custom, seats: '7' } }, licence),
    ).toEqual({ cost: null, status: 'retired', custom: { product: 'office', seats: 7 } });
  });
});
