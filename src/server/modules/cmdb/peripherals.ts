/**
 * Peripherals in discovery reports: each keyboard, mouse, monitor, printer, dock or USB storage device the
 * agent saw becomes an item `connected_to` its computer. A peripheral with a serial number is the same item
 * wherever it turns up (moved to another desk: the old connection goes, the new one comes); one without is
 * matched by class, vendor and name among what the computer already has. What the agent no longer sees is
 * disconnected (never retired: an unplugged keyboard still exists), and only if discovery found it: items
 * entered by hand are left alone. Hubs, cameras, adapters and the like are not inventory and are skipped.
 */
import type { AgentReport, ReportOutcome } from '../../../contracts/index.js';
import { type AuditRecord, recordAll } from '../../platform/audit/index.js';
import type { Db } from '../../platform/context.js';
import type { Actor } from '../../platform/permissions.js';
import { ciView } from './cis.service.js';
import * as cis from './cmdb.repository.js';
import * as repo from './discovery.repository.js';

type Peripheral = AgentReport['peripherals'][number];

/** The built-in class a reported peripheral belongs to, or null for what is not kept in the inventory. */
export function peripheralClass(p: Peripheral): string | null {
  const text = `${p.type} ${p.name}`.toLowerCase();
  if (/root hub|\bhub\b/.test(text) || /linux foundation/i.test(p.vendor)) return null;
  if (/\bdock(ing)?\b/.test(text)) return 'dock';
  if (/keyboard/.test(text)) return 'keyboard';
  if (/\bmouse\b|trackball|trackpad|touchpad|pointing/.test(text)) return 'mouse';
  if (/monitor|display/.test(p.type.toLowerCase())) return 'monitor';
  if (/printer/.test(text)) return 'printer';
  if (/storage|mass storage|\bdisk\b|\bdrive\b/.test(p.type.toLowerCase())) return 'storage_device';
  return null;
}

const same = (a: string | null, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

/** A reported peripheral the inventory keeps. */
interface Wanted {
  classKey: string;
  serial: string;
  name: string;
  vendor: string;
}

/**
 * The peripherals of a report the inventory keeps, each once (a USB device with several interfaces is listed
 * once per interface).
 */
export function wantedPeripherals(reported: readonly Peripheral[]): Wanted[] {
  const out = new Map<string, Wanted>();
  for (const p of reported) {
    const classKey = peripheralClass(p);
    if (!classKey) continue;
    const serial = p.serial.trim();
    const vendor = p.vendor.trim();
    const name = p.name.trim() || `${vendor} ${classKey}`.trim();
    const key = `${classKey}\0${serial.toLowerCase() || `${vendor}\0${name}`.toLowerCase()}`;
    if (!out.has(key)) out.set(key, { classKey, serial, name: name.slice(0, 200), vendor });
  }
  return [...out.values()];
}

/** Brings a computer's connected peripherals in line with a report; returns what changed. */
export async function reconcilePeripherals(
  db: Db,
  actor: Actor,
  computerId: string,
  reported: readonly Peripheral[],
): Promise<ReportOutcome['peripherals']> {
  const connected = await repo.connectedPeripherals(db, computerId);
  const claimed = new Set<string>();
  const entries: AuditRecord[] = [];
  const relate = async (id: string, reason: string) => {
    await cis.insertRelationship(db, id, 'connected_to', computerId);
    for (const ciId of [id, computerId]) {
      entries.push({
        actor,
        action: 'ci.related',
        entity: { type: 'ci', id: ciId },
        before: null,
        after: { fromId: id, type: 'connected_to', toId: computerId, reason },
      });
    }
  };
  const unrelate = async (id: string, relId: string, otherId: string, reason: string) => {
    await cis.deleteRelationship(db, relId);
    for (const ciId of [id, otherId]) {
      entries.push({
        actor,
        action: 'ci.unrelated',
        entity: { type: 'ci', id: ciId },
        before: { fromId: id, type: 'connected_to', toId: otherId },
        after: { reason },
      });
    }
  };
  let added = 0;
  let kept = 0;
  for (const { classKey, serial, name, vendor } of wantedPeripherals(reported)) {
    const here = connected.find(
      (c) =>
        !claimed.has(c.id) &&
        c.class_key === classKey &&
        (serial ? same(c.serial, serial) : !c.serial && same(c.name, name) && same(c.manufacturer, vendor)),
    );
    if (here) {
      claimed.add(here.id);
      kept++;
      continue;
    }
    const elsewhere = serial ? await repo.peripheralBySerial(db, classKey, serial) : undefined;
    if (elsewhere) {
      if (elsewhere.rel_id && elsewhere.computer_id && elsewhere.computer_id !== computerId) {
        await unrelate(elsewhere.id, elsewhere.rel_id, elsewhere.computer_id, 'found on another computer');
      }
      await relate(elsewhere.id, 'found by discovery');
      claimed.add(elsewhere.id);
      added++;
      continue;
    }
    const row = await cis.insertCi(db, classKey, {
      asset_tag: null,
      name,
      serial: serial || null,
      model: null,
      manufacturer: vendor || null,
      status: 'deployed',
      owner_id: null,
      team_id: null,
      location_id: null,
      purchase_date: null,
      cost: null,
      warranty_end: null,
      notes: '',
      custom: { discovered: true },
    });
    entries.push({
      actor,
      action: 'ci.discovered',
      entity: { type: 'ci', id: row.id },
      before: null,
      after: { ...ciView(row) },
    });
    await relate(row.id, 'found by discovery');
    added++;
  }
  let removed = 0;
  for (const c of connected) {
    if (claimed.has(c.id) || !c.discovered) continue;
    await unrelate(c.id, c.rel_id, computerId, 'no longer seen by discovery');
    removed++;
  }
  await recordAll(db, entries);
  return { added, removed, kept };
}
