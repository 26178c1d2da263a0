import { describe, expect, it } from 'vitest';
import { setActiveLocale } from '../i18n/locale';
import { actionName, entityName, fieldName, fieldNameInline, isId } from './words';

describe('words people understand', () => {
  it('names fields as people know them, never by their internal names', () => {
    expect(fieldName('assignedBy')).toBe('Assigned by');
    expect(fieldName('installed_on')).toBe('Installed on');
    expect(fieldName('updatedAt')).toBe('Updated');
    expect(fieldName('teamId')).toBe('Team');
    expect(fieldName('assigneeId')).toBe('Assignee');
    expect(fieldName('categoryId')).toBe('Category');
    expect(fieldName('watcherIds')).toBe('Watchers');
    expect(fieldName('slaPolicyId')).toBe('SLA policy');
    expect(fieldName('warrantyEnd')).toBe('Warranty end');
    expect(fieldName('custom.serial_no')).toBe('Serial no');
    expect(fieldName('name')).toBe('Name');
    for (const k of ['assignedBy', 'installed_on', 'updatedAt', 'teamId', 'requesterId', 'createdAt'])
      expect(fieldName(k)).not.toMatch(/[A-Z].*[A-Z]|_|Id$/);
  });

  it('phrases audit actions and entity kinds', () => {
    expect(actionName('ticket.assigned')).toBe('Ticket assigned');
    expect(actionName('ci.software_changed')).toBe('Item software changed');
    expect(actionName('sla.policy_updated')).toBe('SLA policy updated');
    expect(entityName('ci')).toBe('Item');
    expect(entityName('sla_policy')).toBe('SLA policy');
    expect(entityName('ticket')).toBe('Ticket');
  });

  it('speaks the user’s language: German names, nouns keeping their capital inside a sentence', () => {
    setActiveLocale('de');
    try {
      expect(fieldName('assigneeId')).toBe('Zuständige Person');
      expect(fieldName('teamId')).toBe('Team');
      expect(fieldNameInline('categoryId')).toBe('Kategorie');
      expect(actionName('ticket.assigned')).toBe('Ticket zugewiesen');
      expect(actionName('sla_policy.updated')).toBe('SLA-Richtlinie geändert');
      expect(entityName('ci')).toBe('Objekt');
    } finally {
      setActiveLocale('en');
    }
    expect(fieldNameInline('categoryId')).toBe('category');
  });

  it('tells ids from other text', () => {
    expect(isId('0b7c6a52-1d7e-4c8e-9a55-2a1f3e7d9c10')).toBe(true);
    expect(isId('INC-42')).toBe(false);
    expect(isId(42)).toBe(false);
  });
});
