/**
 * Vulnerability exposure: OSV advisories imported offline, matched by ecosystem with the ecosystem's own version
 * ordering against the source packages the CMDB records per computer, exposures with severity (CVSS) and fixed
 * versions, a remediation SLA per severity and a remediation ticket per advisory and business service. Exposures
 * close by themselves when an agent report shows a fixed version: main.ts hands {@link ExposureModule.sourcesChanged}
 * to the CMDB's report hook.
 */
import type { Ctx } from '../../platform/context.js';
import type { App } from '../../platform/http.js';
import { exposureRoutes } from './exposure.routes.js';
import { advisoryCache, matchAll, matchComputer } from './match.service.js';
import { remediate } from './remediation.service.js';

export { advisoryCache, matchAll, matchComputer } from './match.service.js';
export { remediate } from './remediation.service.js';
export { importAdvisories, readAdvisories } from './import.service.js';
export { openZip, readEntry, ZipError, zipEntries } from './zip.js';

/** The exposure module: its routes, and its listener for the CMDB's "source packages changed". */
export function createExposureModule(deps: { ctx: Ctx; uploadDir: string }) {
  const { ctx } = deps;
  const advisories = advisoryCache(ctx);
  return {
    routes(app: App): void {
      exposureRoutes(app, { ctx, uploadDir: deps.uploadDir, refresh: () => remediate(ctx) });
    },
    /** Re-matches a computer after its report, then opens or resolves its services' remediation tickets. */
    async sourcesChanged(computerId: string): Promise<void> {
      const m = await matchComputer(ctx, computerId, advisories);
      if (m.opened + m.closed > 0) await remediate(ctx, computerId);
    },
    /** A full match and remediation (after an import; also for tools and benchmarks). */
    async rematch() {
      const m = await matchAll(ctx);
      const r = await remediate(ctx);
      return { ...m, tickets: r };
    },
  };
}
export type ExposureModule = ReturnType<typeof createExposureModule>;
export { exposureSpans, type ExposureSpan } from './kpi-source.js';
