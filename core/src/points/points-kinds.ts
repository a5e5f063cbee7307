/**
 * The kinds of points ledger entries: the one list every writer and every query of
 * points_ledger.kind uses. The values are what the database stores (and what the ledger API
 * shows), so they never change; a new source of points adds a kind here.
 */
export const PointsKind = {
  /** Points of an order. */
  OrderEarn: 'earn_order',
  /** The first-order task bonus. */
  FirstOrder: 'task_first_order',
  /** The one-time profile task. */
  ProfileTask: 'task_profile',
  /** The reward of a tenant-defined task (once per task window). */
  Task: 'task',
  /** The inviter's reward for a completed referral. */
  Referral: 'referral',
  /** Points of an activity (see activities). */
  Activity: 'activity',
  CheckIn: 'check_in',
  /** A manual adjustment (either sign). */
  Adjust: 'adjust',
  BirthdayGift: 'birthday_gift',
  KeepTierGift: 'keep_tier_gift',
  /** Points spent on an order. */
  Redeem: 'redeem',
  /** Redeemed points given back by a refund of their order. */
  RedeemRefund: 'redeem_refund',
  /** Earned points taken back by a refund. */
  RefundClawback: 'refund_clawback',
  /** Points taken back when an activity is revoked. */
  ActivityClawback: 'activity_clawback',
  /** Points spent on a reward of the points mall. */
  Exchange: 'exchange',
  Expire: 'expire',
  MergeOut: 'merge_out',
  MergeIn: 'merge_in',
  /** An opening balance brought over from another system by a history import. */
  OpeningBalance: 'opening_balance',
} as const;
export type PointsKind = (typeof PointsKind)[keyof typeof PointsKind];
