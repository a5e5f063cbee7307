/**
 * The kinds of growth ledger entries: the one list every writer and every query of
 * growth_ledger.kind uses. The values are what the database stores, so they never change.
 * Activities record their growth under the activity type itself.
 */
export const GrowthKind = {
  /** Growth of an order. */
  Purchase: 'purchase',
  Login: 'login',
  Review: 'review',
  PhotoReview: 'photo_review',
  Share: 'share',
  ProfileCompleted: 'profile_completed',
  /** The monthly shopping bonus (growthRules.monthlyShopping). */
  MonthlyShopping: 'monthly_shopping',
  /** The reward of a task (once per task window). */
  Task: 'task',
  /** The inviter's reward for a completed referral. */
  Referral: 'referral',
  /** Growth taken back by a refund. */
  RefundClawback: 'refund_clawback',
  /** Growth taken back when an activity is revoked. */
  ActivityClawback: 'activity_clawback',
  /** The period's growth reset by a retention downgrade (growth_reset: true). */
  RetentionReset: 'retention_reset',
  MergeOut: 'merge_out',
  MergeIn: 'merge_in',
  /** The difference an applied recompute moved a member's growth by (docs/rules.md §18). */
  RecomputeAdjust: 'recompute_adjust',
} as const;
export type GrowthKind = (typeof GrowthKind)[keyof typeof GrowthKind];
