import type { RouteObject } from 'react-router-dom';
import { AssignmentSection } from './AssignmentSection';
import { CategoriesSection } from './CategoriesSection';
import { DeskSection } from './DeskSection';
import { FieldsSection } from './FieldsSection';
import { TemplatesSection } from './TemplatesSection';
import { MailSection } from './MailSection';
import { NotificationsSection } from './NotificationsSection';
import { PrioritySection } from './PrioritySection';
import { RoutingSection } from './RoutingSection';
import { SettingsIndex, SettingsLayout } from './SettingsLayout';
import { SlaSection } from './SlaSection';

/** Routes of the settings area (admins only). */
export const settingsRoutes: RouteObject[] = [
  {
    path: 'settings',
    element: <SettingsLayout />,
    children: [
      { index: true, element: <SettingsIndex /> },
      { path: 'categories', element: <CategoriesSection /> },
      { path: 'priorities', element: <PrioritySection /> },
      { path: 'sla', element: <SlaSection /> },
      { path: 'fields', element: <FieldsSection /> },
      { path: 'templates', element: <TemplatesSection /> },
      { path: 'routing', element: <RoutingSection /> },
      { path: 'assignment', element: <AssignmentSection /> },
      { path: 'service-desk', element: <DeskSection /> },
      { path: 'notifications', element: <NotificationsSection /> },
      { path: 'mail', element: <MailSection /> },
    ],
  },
];
