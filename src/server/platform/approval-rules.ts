/**
 * Approval rules shared by every module that asks a group to approve something (changes, knowledge articles):
 * anyone, all, a majority, or at least N of a fixed set of voters. The modules keep their own votes and locks;
 * this decides what a count of votes means.
 */
import { Conflict } from './errors.js';

/** How a group decides. */
export type ApprovalRuleName = 'any' | 'all' | 'majority' | 'at_least';

/** A rule and, for `at_least`, its count. */
export interface ApprovalRule {
  rule: ApprovalRuleName;
  count?: number | null | undefined;
}

/**
 * How many approvals `rule` needs from `voters` people; 409 `no_approvers` naming `group` when the group is
 * empty or smaller than the rule's count.
 */
export function requiredVotes(r: ApprovalRule, voters: number, group: string): number {
  if (voters === 0) throw Conflict(`the approvers (${group}) are nobody`, 'no_approvers');
  switch (r.rule) {
    case 'any':
      return 1;
    case 'all':
      return voters;
    case 'majority':
      return Math.floor(voters / 2) + 1;
    case 'at_least': {
      const n = r.count ?? 1;
      if (n > voters)
        throw Conflict(`the approvers (${group}) are ${voters} people; the rule needs ${n}`, 'no_approvers');
      return n;
    }
  }
}

/**
 * What the votes cast so far decide: `approved` once `required` approvals are in, `rejected` once so many
 * voters have rejected that the rest can no longer reach it, else `pending`.
 */
export function decision(
  tally: { approve: number; reject: number },
  voters: number,
  required: number,
): 'approved' | 'rejected' | 'pending' {
  if (tally.approve >= required) return 'approved';
  if (voters - tally.reject < required) return 'rejected';
  return 'pending';
}
