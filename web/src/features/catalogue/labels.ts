import type { CatalogueRequest } from '@contracts';
import type { MessageKey } from '../../i18n/catalogues';

/** The catalogue keys of a request's states. */
export const STATUS_KEY: Record<CatalogueRequest['status'], MessageKey> = {
  approval: 'catalogue.status.approval',
  fulfilment: 'catalogue.status.fulfilment',
  fulfilled: 'catalogue.status.fulfilled',
  rejected: 'catalogue.status.rejected',
  cancelled: 'catalogue.status.cancelled',
};

/** The catalogue keys of an approval level's and a task's states. */
export const STEP_KEY: Record<'waiting' | 'pending' | 'approved' | 'rejected' | 'open' | 'done', MessageKey> =
  {
    waiting: 'catalogue.step.waiting',
    pending: 'catalogue.step.pending',
    approved: 'catalogue.step.approved',
    rejected: 'catalogue.step.rejected',
    open: 'catalogue.step.open',
    done: 'catalogue.step.done',
  };

/** The catalogue keys of the approval rules. */
export const RULE_KEY: Record<'any' | 'all' | 'majority' | 'at_least', MessageKey> = {
  any: 'catalogue.rule.any',
  all: 'catalogue.rule.all',
  majority: 'catalogue.rule.majority',
  at_least: 'catalogue.rule.at_least',
};
