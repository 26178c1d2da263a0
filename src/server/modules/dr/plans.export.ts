/**
 * A plan exported for the day Steward itself may be down: Markdown (for a wiki or a repository) and PDF (to print
 * and keep with the building's emergency folder). Both come from one outline, so they say the same.
 */
import type { DrPlan } from '../../../contracts/index.js';
import { type PdfBlock, pdfDocument } from '../../platform/pdf.js';
import { minutesText } from './plans.scope.js';

type Line =
  | { kind: 'title' | 'heading' | 'subheading' | 'text' | 'bullet' | 'note'; text: string }
  | { kind: 'numbered'; n: number; text: string }
  /** Markdown written by a person: as is in Markdown, as plain lines in the PDF. */
  | { kind: 'markdown'; text: string };

/** Backslash-escapes what Markdown would read as markup in a name or a phrase. */
const esc = (s: string) => s.replace(/([\\`*_[\]{}<>#|!~])/g, '\\$1');

const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'never');

/** The plan as an outline, in the order people read it on the day. */
function outline(p: DrPlan, now: Date): Line[] {
  const out: Line[] = [{ kind: 'title', text: `Disaster recovery plan: ${p.name}` }];
  out.push({
    kind: 'text',
    text: [
      `Service: ${p.service.name}`,
      `Owner: ${p.owner?.name ?? 'nobody'}`,
      `RTO ${minutesText(p.rtoMinutes)}`,
      `RPO ${minutesText(p.rpoMinutes)}`,
      `Review due ${p.reviewDue}${p.reviewOverdue ? ' (overdue)' : ''}`,
    ].join(' · '),
  });
  if (p.verification.needed)
    out.push({ kind: 'note', text: `Needs verification: ${p.verification.reasons.join(' ')}` });
  out.push({ kind: 'text', text: `Last verified by a drill: ${when(p.verification.lastVerifiedAt)}.` });
  if (p.summary.trim()) out.push({ kind: 'markdown', text: p.summary });
  out.push({ kind: 'heading', text: p.readiness.ready ? 'Readiness: ready' : 'Readiness: not ready' });
  for (const r of p.readiness.reasons) out.push({ kind: 'bullet', text: r });
  out.push({ kind: 'heading', text: 'Recovery order' });
  out.push({
    kind: 'text',
    text: 'What an item needs is recovered before it; items of one wave side by side.',
  });
  for (const o of p.order) {
    const parts = [`${o.name} (${o.className}), wave ${o.wave}`];
    if (o.needs.length) parts.push(`needs ${o.needs.join(', ')}`);
    if (o.cycle !== null) parts.push(`cycle ${o.cycle}`);
    if (o.device)
      parts.push(
        o.lastSnapshotAt
          ? `last snapshot ${when(o.lastSnapshotAt)}${o.withinRpo ? '' : ' (beyond the RPO)'}`
          : 'no snapshot',
      );
    out.push({ kind: 'numbered', n: o.position, text: parts.join('; ') });
  }
  for (const c of p.cycles)
    out.push({
      kind: 'note',
      text: `Cycle ${c.number}: ${c.items.map((i) => i.name).join(', ')} need each other; ${
        c.ordered ? 'ordered by a person.' : 'a person must choose their order.'
      }`,
    });
  out.push({ kind: 'heading', text: 'Runbook' });
  if (p.steps.length === 0) out.push({ kind: 'text', text: 'No steps yet.' });
  for (const s of p.steps) {
    out.push({ kind: 'subheading', text: `${s.position}. ${s.title}` });
    const facts = [`Owner: ${s.owner?.name ?? 'nobody'}`];
    if (s.expectedMinutes) facts.push(`expected ${minutesText(s.expectedMinutes)}`);
    if (s.items.length) facts.push(`restores ${s.items.map((i) => i.name).join(', ')}`);
    out.push({ kind: 'text', text: facts.join(' · ') });
    if (s.body.trim()) out.push({ kind: 'markdown', text: s.body });
  }
  out.push({ kind: 'heading', text: 'Contacts' });
  if (p.contacts.length === 0) out.push({ kind: 'text', text: 'No contacts yet.' });
  for (const c of p.contacts)
    out.push({
      kind: 'bullet',
      text: [c.user ? c.user.name : c.name, c.role, c.phone, c.email].filter(Boolean).join(' · '),
    });
  out.push({
    kind: 'note',
    text: `Exported from Steward on ${when(now.toISOString())}, plan version ${p.version}.`,
  });
  return out;
}

/** The plan as Markdown. */
export function planMarkdown(p: DrPlan, now = new Date()): string {
  const md = outline(p, now).map((l) => {
    switch (l.kind) {
      case 'title':
        return `# ${esc(l.text)}\n`;
      case 'heading':
        return `\n## ${esc(l.text)}\n`;
      case 'subheading':
        return `\n### ${esc(l.text)}\n`;
      case 'text':
        return `${esc(l.text)}\n`;
      case 'bullet':
        return `- ${esc(l.text)}`;
      case 'numbered':
        return `${l.n}. ${esc(l.text)}`;
      case 'note':
        return `\n> ${esc(l.text)}\n`;
      case 'markdown':
        return `\n${l.text.trim()}\n`;
    }
  });
  return `${md
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** The plan as a PDF document. */
export function planPdf(p: DrPlan, now = new Date()): Buffer {
  const blocks: PdfBlock[] = outline(p, now).flatMap((l): PdfBlock[] => {
    switch (l.kind) {
      case 'title':
      case 'heading':
      case 'subheading':
      case 'bullet':
        return [{ text: l.text, style: l.kind }];
      case 'text':
        return [{ text: l.text }];
      case 'numbered':
        return [{ text: `${l.n}. ${l.text}`, indent: 12 }];
      case 'note':
        return [{ text: l.text, style: 'small' }];
      case 'markdown':
        return [{ text: l.text.trim(), indent: 8 }];
    }
  });
  return pdfDocument(blocks, { title: `Disaster recovery plan: ${p.name}`, footer: p.name, now });
}

/** A file name for the plan's export: its name in lower-case ASCII letters, digits and dashes. */
export function exportName(p: DrPlan, ext: 'md' | 'pdf'): string {
  const base = p.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 80);
  return `dr-plan-${base || 'export'}.${ext}`;
}
