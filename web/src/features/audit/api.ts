// Queries of the audit log.
import { useInfiniteQuery } from '@tanstack/react-query';
import type { AuditLogPage } from '@contracts';
import { api } from '../../api/client';

/** Filters of the audit log, as the form holds them (dates as `YYYY-MM-DD`, local time). */
export interface AuditFilters {
  action: string;
  entityType: string;
  actorId: string;
  from: string;
  to: string;
}

/** Start (or, with `endOfDay`, the last millisecond) of a local calendar day, as an ISO timestamp. */
export function dayBoundary(day: string, endOfDay: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The audit log, newest first, page by page. */
export function useAuditLog(f: AuditFilters) {
  const query = {
    action: f.action.trim(),
    entityType: f.entityType.trim(),
    actorId: f.actorId,
    from: dayBoundary(f.from, false),
    to: dayBoundary(f.to, true),
  };
  return useInfiniteQuery({
    queryKey: ['audit', query],
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditLogPage>('/api/v1/audit', { ...query, cursor: pageParam, limit: 50 }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
