import type { RouteObject } from 'react-router-dom';
import { AuditPage } from './AuditPage';

/** Routes of the audit area (admin only). */
export const auditRoutes: RouteObject[] = [{ path: 'audit', element: <AuditPage /> }];
