import type { CiClass, CreateCiClass, UpdateCiClass } from '../../../contracts/index.js';
import { record } from '../../platform/audit/index.js';
import type { Ctx } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db-errors.js';
import { Conflict, Invalid, NotFound, Stale } from '../../platform/errors.js';
import type { Actor } from '../../platform/permissions.js';
import { canCmdb } from './access.js';
import * as repo from './cmdb.repository.js';

/** A class for the API. */
export function classView(r: repo.ClassRow): CiClass {
  return { key: r.key, name: r.name, kind: r.kind, builtin: r.builtin, fields: r.fields, version: r.version };
}

const taken = () =>
  Conflict('a class with this key or name exists already', 'class_taken', [
    { path: 'body.key', message: 'in use' },
  ]);

/** Every class (agents and above). */
export async function listClasses(ctx: Ctx, actor: Actor): Promise<CiClass[]> {
  canCmdb(actor, 'ci:read');
  return (await repo.classes(ctx.db)).map(classView);
}

/** One class. */
export async function getClass(ctx: Ctx, actor: Actor, key: string): Promise<CiClass> {
  canCmdb(actor, 'ci:read');
  const r = await repo.classOf(ctx.db, key);
  if (!r) throw NotFound('class');
  return classView(r);
}

/** Adds a class with its custom fields (admins). */
export async function createClass(ctx: Ctx, actor: Actor, input: CreateCiClass): Promise<CiClass> {
  canCmdb(actor, 'ci:admin');
  try {
    return await ctx.tx(async (db) => {
      const v = classView(await repo.insertClass(db, input));
      await record(db, actor, 'ci_class.created', { type: 'ci_class', id: v.key }, null, { ...v });
      return v;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw taken();
    throw e;
  }
}

/**
 * Renames a class or changes its fields (admins, If-Match). Items keep their stored values: a field removed
 * is no longer shown or checked, a field made required is checked on each item's next change.
 */
export async function updateClass(
  ctx: Ctx,
  actor: Actor,
  key: string,
  version: number,
  input: UpdateCiClass,
): Promise<CiClass> {
  canCmdb(actor, 'ci:admin');
  try {
    return await ctx.tx(async (db) => {
      const current = await repo.classOf(db, key, true);
      if (!current) throw NotFound('class');
      const row = await repo.updateClass(db, key, version, {
        name: input.name ?? current.name,
        fields: input.fields ?? current.fields,
      });
      if (!row) throw Stale();
      const [before, after] = [classView(current), classView(row)];
      await record(db, actor, 'ci_class.updated', { type: 'ci_class', id: key }, { ...before }, { ...after });
      return after;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw taken();
    throw e;
  }
}

/** Deletes a class of the admin's that has no items (built-in classes stay). */
export async function deleteClass(ctx: Ctx, actor: Actor, key: string): Promise<void> {
  canCmdb(actor, 'ci:admin');
  await ctx.tx(async (db) => {
    const current = await repo.classOf(db, key, true);
    if (!current) throw NotFound('class');
    if (current.builtin) throw Invalid('built-in classes cannot be deleted');
    const n = await repo.countOfClass(db, key);
    if (n > 0) throw Conflict(`the class still has ${n} item(s)`, 'class_in_use');
    await repo.deleteClass(db, key);
    await record(
      db,
      actor,
      'ci_class.deleted',
      { type: 'ci_class', id: key },
      { ...classView(current) },
      null,
    );
  });
}
