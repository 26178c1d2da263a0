import { z } from 'zod';
import { Line, PageQuery, pageOf } from './common.js';

/** The families of classes that relationship rules speak of. */
export const CiKind = z.enum([
  'computer',
  'peripheral',
  'network',
  'storage',
  'software_product',
  'software_installation',
  'licence',
  'service',
  'credential',
  'location',
  'vendor',
  'contract',
]);
export type CiKind = z.infer<typeof CiKind>;

/** A custom field of a class. */
export const CiField = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _'),
  label: Line(120),
  type: z.enum(['text', 'number', 'date', 'boolean', 'enum']),
  required: z.boolean().default(false),
  /** The allowed values of an `enum` field. */
  options: z.array(Line(120)).min(1).max(100).optional(),
});
export type CiField = z.infer<typeof CiField>;

const Fields = z
  .array(CiField)
  .max(50)
  .refine((fs) => new Set(fs.map((f) => f.key)).size === fs.length, 'field keys must be unique')
  .refine(
    (fs) => fs.every((f) => (f.type === 'enum') === (f.options !== undefined)),
    'enum fields (only) need options',
  );

/** A class as the API shows it. */
export const CiClass = z.object({
  key: z.string(),
  name: z.string(),
  kind: CiKind,
  builtin: z.boolean(),
  fields: z.array(CiField),
  version: z.number().int(),
});
export type CiClass = z.infer<typeof CiClass>;
export const CiClassList = z.object({ items: z.array(CiClass) });

/** POST /api/v1/ci-classes (admins). */
export const CreateCiClass = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, '2–40 lower-case letters, digits and _'),
  name: Line(120),
  kind: CiKind,
  fields: Fields.default([]),
});
export type CreateCiClass = z.infer<typeof CreateCiClass>;

/** PATCH /api/v1/ci-classes/:key (If-Match). A built-in class keeps its kind. */
export const UpdateCiClass = z.strictObject({ name: Line(120).optional(), fields: Fields.optional() });
export type UpdateCiClass = z.infer<typeof UpdateCiClass>;
/** A class in a path: its key. */
export const ClassParams = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'a class key: 2–40 lower-case letters, digits and _'),
});

/** Lifecycle of an item. */
export const CiStatus = z.enum(['ordered', 'in_stock', 'deployed', 'in_repair', 'retired', 'disposed']);
export type CiStatus = z.infer<typeof CiStatus>;

/** Kinds of things that sit on a shelf before use; everything else (a service, a licence, a contract) does not. */
const STOCKED_KINDS: readonly CiKind[] = ['computer', 'peripheral', 'network', 'storage'];

/**
 * The status a new item gets when none is given: hardware starts "in stock", while a business service, a
 * licence or a software installation is in use from the start ("deployed"), never "in stock".
 */
export function defaultCiStatus(kind: CiKind | undefined): CiStatus {
  return kind === undefined || STOCKED_KINDS.includes(kind) ? 'in_stock' : 'deployed';
}

const Day = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });
const CustomValues = z.record(
  z.string().max(40),
  z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]),
);

/** A configuration item as the API shows it. */
export const Ci = z.object({
  id: z.uuid(),
  classKey: z.string(),
  assetTag: z.string().nullable(),
  name: z.string(),
  serial: z.string().nullable(),
  model: z.string().nullable(),
  manufacturer: z.string().nullable(),
  status: CiStatus,
  ownerId: z.uuid().nullable(),
  teamId: z.uuid().nullable(),
  locationId: z.uuid().nullable(),
  purchaseDate: z.string().nullable(),
  cost: z.string().nullable().describe('decimal, e.g. "1299.00"'),
  warrantyEnd: z.string().nullable(),
  notes: z.string(),
  custom: CustomValues,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Ci = z.infer<typeof Ci>;

const Money = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, 'a non-negative amount with at most two decimals, e.g. 1299.00');

const editable = {
  assetTag: Line(64).nullable().optional(),
  name: Line(200),
  serial: Line(128).nullable().optional(),
  model: Line(200).nullable().optional(),
  manufacturer: Line(200).nullable().optional(),
  status: CiStatus.optional(),
  ownerId: z.uuid().nullable().optional(),
  teamId: z.uuid().nullable().optional(),
  locationId: z.uuid().nullable().optional(),
  purchaseDate: Day.nullable().optional(),
  cost: Money.nullable().optional(),
  warrantyEnd: Day.nullable().optional(),
  notes: z.string().max(20_000).optional(),
  custom: CustomValues.optional(),
};

/** POST /api/v1/cis. */
export const CreateCi = z.strictObject({ classKey: z.string().max(40), ...editable });
export type CreateCi = z.infer<typeof CreateCi>;

/** PATCH /api/v1/cis/:id (If-Match). The class is fixed once created. */
export const UpdateCi = z.strictObject({ ...editable, name: Line(200).optional() });
export type UpdateCi = z.infer<typeof UpdateCi>;

/** GET /api/v1/cis: filters, name/tag/serial search, keyset pages by name. */
export const CiQuery = PageQuery.extend({
  classKey: z.string().max(40).optional(),
  kind: CiKind.optional(),
  status: CiStatus.optional(),
  teamId: z.uuid().optional(),
  ownerId: z.uuid().optional(),
  locationId: z.uuid().optional(),
  warrantyBefore: Day.optional(),
  q: z.string().trim().max(200).optional(),
  /** Software installations in the list (`include`, the API's default) or not (`exclude`, the inventory's). */
  installations: z.enum(['include', 'exclude']).optional(),
});
export type CiQuery = z.infer<typeof CiQuery>;
export const CiPage = z.object({ items: z.array(Ci), nextCursor: z.string().nullable() });
/** GET /api/v1/cis/:id/software: a computer's software installations, by name, searchable. */
export const SoftwareQuery = PageQuery.extend({ q: z.string().trim().max(200).optional() });
export type SoftwareQuery = z.infer<typeof SoftwareQuery>;

/** Relationship types, read "from <type> to". */
export const RelationshipType = z.enum([
  'depends_on',
  'runs_on',
  'installed_on',
  'connected_to',
  'used_by',
  'backs_up',
  'covered_by',
]);
export type RelationshipType = z.infer<typeof RelationshipType>;

/** A relationship as the API shows it. */
export const CiRelationship = z.object({
  id: z.uuid(),
  fromId: z.uuid(),
  type: RelationshipType,
  toId: z.uuid(),
  createdAt: z.string(),
});
export type CiRelationship = z.infer<typeof CiRelationship>;
/** GET /api/v1/cis/:id/relationships: a page, by type, then the other item's name. */
export const CiRelationshipList = pageOf(
  CiRelationship.extend({ other: z.object({ id: z.uuid(), name: z.string(), classKey: z.string() }) }),
);

/** POST /api/v1/cis/:id/relationships: this item <type> `toId`. */
export const CreateCiRelationship = z.strictObject({ type: RelationshipType, toId: z.uuid() });
export type CreateCiRelationship = z.infer<typeof CreateCiRelationship>;
export const RelationshipParams = z.strictObject({ id: z.uuid(), relId: z.uuid() });

/** GET /api/v1/cis/:id/impact. */
export const ImpactQuery = z.strictObject({
  /**
   * `dependents` (alias `downstream`): what is affected if this item fails; `dependencies` (alias `upstream`):
   * what this item relies on.
   */
  direction: z.enum(['dependents', 'dependencies', 'both', 'downstream', 'upstream']).default('dependents'),
  depth: z.coerce.number().int().min(1).max(10).default(3),
});
export type ImpactQuery = z.infer<typeof ImpactQuery>;

/** The graph around an item: nodes with their distance, and the edges between them. */
export const Impact = z.object({
  root: z.uuid(),
  nodes: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      classKey: z.string(),
      status: CiStatus,
      depth: z.number().int(),
    }),
  ),
  edges: z.array(z.object({ fromId: z.uuid(), type: RelationshipType, toId: z.uuid() })),
  /** True when the walk stopped at the node limit before reaching the depth. */
  truncated: z.boolean(),
});
export type Impact = z.infer<typeof Impact>;

/** GET /api/v1/licences/compliance: seats bought against installations found. */
export const LicenceCompliance = z.object({
  licences: z.array(
    z.object({
      licenceId: z.uuid(),
      name: z.string(),
      product: z.string(),
      versions: z.string(),
      seats: z.number(),
      installed: z.number().int(),
      /** over: more installations than seats; under: seats unused. */
      state: z.enum(['over', 'under', 'exact']),
      difference: z.number(),
    }),
  ),
  /** Installations of products no licence covers (in that version). */
  unlicensed: z.array(
    z.object({
      product: z.string(),
      installed: z.number().int(),
      versions: z.array(z.object({ version: z.string().nullable(), installed: z.number().int() })),
    }),
  ),
});
export type LicenceCompliance = z.infer<typeof LicenceCompliance>;

/** What a CSV import did (or, with `dryRun`, would do); `errors` lists every failing row. */
export const CsvImportResult = z.object({
  dryRun: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rows: z.array(
    z.object({
      line: z.number().int(),
      action: z.enum(['create', 'update', 'unchanged']),
      assetTag: z.string().nullable(),
      name: z.string(),
    }),
  ),
  errors: z.array(z.object({ line: z.number().int(), column: z.string(), message: z.string() })),
});
export type CsvImportResult = z.infer<typeof CsvImportResult>;

/** POST /api/v1/cis/import?dryRun=true|false (text/csv body). */
export const CsvImportQuery = z.strictObject({ dryRun: z.enum(['true', 'false']).default('false') });
