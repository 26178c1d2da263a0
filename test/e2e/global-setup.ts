// Builds the web app once when web/dist is missing (the CI runner normally builds it first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));

/** Vitest global setup: makes sure `web/dist/index.html` exists before any server starts. */
export default async function setup(): Promise<void> {
  if (existsSync(`${webDir}dist/index.html`)) return;
  const { build } = await import('vite');
  await build({ configFile: `${webDir}vite.config.ts`, logLevel: 'warn' });
}
