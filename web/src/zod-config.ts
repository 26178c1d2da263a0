// Imported first by main.tsx, before any schema is built: zod compiles fast object parsers with `new Function`,
// which the server's Content-Security-Policy (no 'unsafe-eval') refuses; its probe alone reports a violation.
// Zod decides when each object schema is created, so this must run before the contracts module is evaluated.
import { config } from 'zod';

config({ jitless: true });
