// Languages in a real browser: a user switches to German on "My account" and the navigation, the settings
// area and its dates follow; the choice is kept by the server (a reload and a new sign-in keep it); going
// back to "as my browser" brings English again; a German browser gets German before anyone chooses, and an
// agent works the queue and a ticket in German (counts, statuses, priorities and the timeline's sentences).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../support/requires.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { CHROMIUM, openBrowser } from './browser.js';
import { PASSWORD, apiAs, signIn, watchPage } from './session.js';

const enabled = requireComponent('e2e', existsSync(CHROMIUM), 'Debian chromium is not installed');

const WEEK = [[], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], [[540, 1020]], []];

describe.skipIf(!enabled)('languages', () => {
  let server: TestServer;
  let ticketId = '';
  const year = new Date().getUTCFullYear() + 1;

  beforeAll(async () => {
    server = await startTestServer();
    const api = await apiAs(server.url, server.adminEmail, server.adminPassword);
    await api('POST', '/api/v1/sla/calendars', {
      name: 'Berlin office',
      timezone: 'Europe/Berlin',
      week: WEEK,
      holidays: [{ date: `${year}-12-24`, name: 'Heiligabend' }],
    });
    ticketId = (
      (await api('POST', '/api/v1/tickets', { type: 'incident', title: 'Drucker klemmt' })) as { id: string }
    ).id;
    await api('POST', '/api/v1/users', {
      email: 'greta@example.com',
      name: 'Greta Grün',
      role: 'requester',
      password: PASSWORD,
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('switches an admin to German: navigation, settings and dates follow, and the choice is kept', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 });
    const errors = watchPage(page);
    try {
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'My account' }).click();
      await page.getByRole('heading', { name: 'My account', level: 1 }).waitFor();
      const language = page.getByRole('form', { name: 'Language' });
      expect(await language.getByLabel('Language').inputValue()).toBe('browser');
      await language.getByLabel('Language').selectOption({ label: 'Deutsch' });
      await language.getByRole('button', { name: 'Save language' }).click();

      // the whole app answers in German at once, on the same page
      await page.getByRole('heading', { name: 'Mein Konto', level: 1 }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      const hauptnav = page.getByRole('navigation', { name: 'Hauptnavigation' });
      for (const label of ['Start', 'Hilfe & Anfragen', 'Benutzer', 'Einstellungen', 'Prüfprotokoll'])
        await hauptnav.getByRole('link', { name: label, exact: true }).waitFor();

      await hauptnav.getByRole('link', { name: 'Einstellungen' }).click();
      await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
      await page
        .getByRole('navigation', { name: 'Bereiche der Einstellungen' })
        .getByRole('link', { name: 'Service-Level' })
        .click();
      await page.getByRole('heading', { name: 'Service-Level', level: 1 }).waitFor();
      const calendars = page.getByRole('list', { name: 'Arbeitskalender' });
      await calendars.getByText('Mo 09:00–17:00').waitFor();
      await calendars.getByText(`1 Feiertag · nächster: Heiligabend am 24.12.${year}`).waitFor();
      await page.getByRole('button', { name: 'Neuer Kalender' }).waitFor();

      // the audit log: German headings, and times written the German way ("07.12.2026, 19:38")
      await hauptnav.getByRole('link', { name: 'Prüfprotokoll' }).click();
      await page.getByRole('heading', { name: 'Prüfprotokoll', level: 1 }).waitFor();
      const entries = page.getByRole('table', { name: 'Protokolleinträge' });
      await entries.getByRole('columnheader', { name: 'Wann' }).waitFor();
      const when = await entries.locator('td.cell-when').first().textContent();
      expect(when).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
      await hauptnav.getByRole('link', { name: 'Einstellungen' }).click();
      await page
        .getByRole('navigation', { name: 'Bereiche der Einstellungen' })
        .getByRole('link', { name: 'Service-Level' })
        .click();

      // kept by the server: a reload, then a new sign-in in a fresh browser
      await page.reload();
      await page.getByRole('heading', { name: 'Service-Level', level: 1 }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }

    const again = await openBrowser({ width: 1280, height: 900 });
    try {
      await again.page.goto(`${server.url}/sign-in`);
      await again.page.getByLabel('E-mail', { exact: true }).fill(server.adminEmail);
      await again.page.getByLabel('Password', { exact: true }).fill(server.adminPassword);
      await again.page.getByRole('button', { name: 'Sign in' }).click();
      await again.page.getByRole('heading', { name: /^Willkommen/ }).waitFor();
      await again.page.goto(`${server.url}/account`);
      const form = again.page.getByRole('form', { name: 'Sprache' });
      await form.getByLabel('Sprache').selectOption({ label: 'Wie mein Browser (English)' });
      await form.getByRole('button', { name: 'Sprache speichern' }).click();
      await again.page.getByRole('heading', { name: 'My account', level: 1 }).waitFor();
      await again.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Settings' })
        .waitFor();
    } finally {
      await again.close();
    }
  });

  it('speaks German to a German browser before the user chooses', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 }, { locale: 'de-DE' });
    try {
      await page.goto(`${server.url}/sign-in`);
      await page.getByRole('heading', { name: 'Anmelden', level: 1 }).waitFor();
      await page.getByLabel('E-Mail', { exact: true }).fill('greta@example.com');
      await page.getByLabel('Passwort', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.getByRole('heading', { name: 'Willkommen, Greta' }).waitFor();
      await page
        .getByRole('navigation', { name: 'Hauptnavigation' })
        .getByRole('link', { name: 'Mein Konto' })
        .waitFor();
    } finally {
      await close();
    }
  });

  it('lets an agent work the queue and a ticket in German', async () => {
    const { page, close } = await openBrowser({ width: 1280, height: 900 }, { locale: 'de-DE' });
    const errors = watchPage(page);
    try {
      await page.goto(`${server.url}/sign-in`);
      await page.getByLabel('E-Mail', { exact: true }).fill(server.adminEmail);
      await page.getByLabel('Passwort', { exact: true }).fill(server.adminPassword);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.getByRole('heading', { name: /^Willkommen/ }).waitFor();
      await page.goto(`${server.url}/tickets`);
      await page.getByRole('heading', { name: 'Warteschlange', level: 1 }).waitFor();
      await page.getByRole('status').filter({ hasText: '1 Ticket passt.' }).waitFor();
      await page.getByRole('columnheader', { name: 'Nummer' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: 'Drucker klemmt' });
      await row.getByText('Neu', { exact: true }).waitFor();
      await row.getByText(/^P\d · (Kritisch|Hoch|Mittel|Niedrig|Planung)/).waitFor();

      await page.goto(`${server.url}/tickets/${ticketId}`);
      const timeline = page.getByRole('list', { name: 'Verlauf' });
      await timeline.getByText('hat das Ticket eröffnet').waitFor();
      await page.getByRole('button', { name: 'Bearbeitung beginnen' }).click();
      await timeline.getByText('hat den Status von Neu auf In Bearbeitung geändert').waitFor();
      await page.getByRole('region', { name: 'Details' }).getByLabel('Dringlichkeit').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
