import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type TestApp } from '../../../test/support/api.js';
import { requireComponent } from '../../../test/support/requires.js';

const built = existsSync(join(import.meta.dirname, '../../../web/dist/index.html'));

describe.runIf(requireComponent('static web app', built, 'web/dist is not built (npm run build:web)'))(
  'serving the web app',
  () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await setup();
    });
    afterAll(async () => app.close());

    it('serves the app publicly at / and at client-side routes', async () => {
      const root = await app.anonymous.get('/');
      expect(root.statusCode).toBe(200);
      expect(root.headers['content-type']).toContain('text/html');
      const deep = await app.anonymous.get('/users/123?x=1');
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toBe(root.body);
    });

    it('answers 404 for missing assets instead of the app page', async () => {
      expect((await app.anonymous.get('/assets/missing-1234.js')).statusCode).toBe(404);
      expect((await app.anonymous.get('/favicon-nothing.png')).statusCode).toBe(404);
    });
  },
);
