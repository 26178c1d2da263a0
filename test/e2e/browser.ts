// Launches Debian's Chromium through playwright-core, one throw-away profile per context.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian installs Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser context with its first page; `close` also deletes the profile folder. */
export interface Browser {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/**
 * Opens a headless Chromium with the given viewport (phone sizes also get touch and mobile mode), speaking
 * British English unless told another `locale`.
 */
export async function openBrowser(
  viewport: { width: number; height: number },
  { locale = 'en-GB' }: { locale?: string } = {},
): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'steward-e2e-profile-'));
  const phone = viewport.width <= 600;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    deviceScaleFactor: 1,
    isMobile: phone,
    hasTouch: phone,
    locale,
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Folder for screenshots (E2E_SCREENSHOTS, or a fixed folder under the temp dir so they are easy to find). */
export async function screenshotDir(): Promise<string> {
  const dir = process.env.E2E_SCREENSHOTS ?? join(tmpdir(), 'steward-e2e-screenshots');
  await mkdir(dir, { recursive: true });
  return dir;
}
