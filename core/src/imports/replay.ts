// The event-time replay of imported history for one member, as pure functions: the same rules
// as live intake (orders/create-order.ts, orders/refund-order.ts, points credit and debit,
// tiers' upgrade rule), applied to the member's imported events in time order, yielding the
// rows to write. No database here: imports/process-import.ts reads the state and writes the rows.
import { BPS } from '../shared/money.ts';
import { newId } from '../shared/ids.ts';
import { localParts } from '../shared/time.ts';
import { effectiveBenefitsOf } from '../benefits/index.ts';
import { GrowthKind, type HistoryGrowthEntry } from '../growth/index.ts';
import type { ImportedOrder, ImportedRefund } from '../orders/index.ts';
import {
  allocateFifo,
  lotExpiresAt,
  orderEarnPoints,
  PointsKind,
  purchaseGrowth,
  refundClawbackStep,
  type HistoryPointsEntry,
  type HistoryPointsLot,
} from '../points/index.ts';
import type { Program } from '../program/index.ts';
import { rfmScore, tierForScore, type HistoryTierChange, type Tier } from '../tiers/index.ts';

const DAY_MS = 86_400_000;
const SPEND_WINDOW_DAYS = 365;

/** A member's state before the replay (read under the row lock). */
export interface MemberState {
  memberId: string;
  tierCode: string;
  growth: number;
  balance: number;
  flagged: boolean;
  /** Open lots (remaining > 0), oldest first. */
  lots: { id: string; entryId: string; remaining: number; earnedAt: Date }[];
  /** Orders recorded before (for rolling spend and RFM), with their refunds. */
  orders: { amountCents: number; completedAt: Date; refunds: { amountCents: number; at: Date }[] }[];
}

export interface OrderRecord {
  line: number;
  externalId: string;
  storeId: string;
  amountCents: number;
  completedAt: Date;
  refunds: { refundId: string; amountCents: number; at: Date }[];
}

export interface BalanceRecord {
  line: number;
  points: number;
  reference: string;
  expiresAt: Date | null;
}

/** What a replay writes. */
export interface ReplayRows {
  orders: ImportedOrder[];
  refunds: ImportedRefund[];
  entries: HistoryPointsEntry[];
  lots: HistoryPointsLot[];
  /** Lots that existed before with their new remaining. */
  lotRemaining: Map<string, number>;
  growth: HistoryGrowthEntry[];
  tierChanges: HistoryTierChange[];
  /** Net points change per member. */
  balanceDelta: Map<string, number>;
}

export function emptyRows(): ReplayRows {
  return { orders: [], refunds: [], entries: [], lots: [], lotRemaining: new Map(), growth: [], tierChanges: [], balanceDelta: new Map() };
}

interface LiveLot {
  id: string;
  entryId: string;
  remaining: number;
  earnedAt: Date;
  /** Written by this replay (else an existing lot whose remaining is updated). */
  fresh: HistoryPointsLot | null;
}

/** The member's points while replaying: balance, lots, and the credit/debit rules of points. */
class PointsState {
  balance: number;
  readonly lots: LiveLot[];
  constructor(
    private readonly memberId: string,
    state: MemberState,
    private readonly rows: ReplayRows,
  ) {
    this.balance = state.balance;
    this.lots = state.lots.map((l) => ({ ...l, fresh: null }));
  }

  /** creditPoints: an entry, a lot of what is left after repaying debt, the balance. */
  credit(input: {
    points: number;
    kind: string;
    reason: string;
    reference: string;
    idempotencyKey: string;
    storeId: string | null;
    at: Date;
    expiresAt: Date | null;
  }): string {
    const entryId = newId('ple');
    const repay = Math.min(Math.max(-this.balance, 0), input.points);
    this.balance += input.points;
    this.rows.entries.push({
      id: entryId,
      memberId: this.memberId,
      storeId: input.storeId,
      delta: input.points,
      kind: input.kind,
      reason: input.reason,
      reference: input.reference,
      idempotencyKey: input.idempotencyKey,
      balanceAfter: this.balance,
      expiresAt: input.expiresAt,
      at: input.at,
    });
    const lot: HistoryPointsLot = {
      id: newId('lot'),
      memberId: this.memberId,
      entryId,
      points: input.points,
      remaining: input.points - repay,
      earnedAt: input.at,
      expiresAt: input.expiresAt,
    };
    this.rows.lots.push(lot);
    this.lots.push({ id: lot.id, entryId, remaining: lot.remaining, earnedAt: input.at, fresh: lot });
    this.lots.sort((a, b) => a.earnedAt.getTime() - b.earnedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.addDelta(input.points);
    return entryId;
  }

  /** debitPoints in `debt` or `cap` mode, the lot of `preferEntryId` first, then FIFO. */
  debit(input: {
    points: number;
    mode: 'debt' | 'cap';
    preferEntryId: string | null;
    kind: string;
    reason: string;
    reference: string;
    idempotencyKey: string;
    storeId: string | null;
    at: Date;
  }): number {
    let taken = input.points;
    if (input.points > this.balance && input.mode === 'cap') taken = Math.max(this.balance, 0);
    if (taken === 0) return 0;
    const order = [...this.lots];
    if (input.preferEntryId) {
      const i = order.findIndex((l) => l.entryId === input.preferEntryId && l.remaining > 0);
      if (i > 0) order.unshift(...order.splice(i, 1));
    }
    const { takes } = allocateFifo(order, taken);
    const byId = new Map(order.map((l) => [l.id, l]));
    for (const t of takes) {
      const lot = byId.get(t.id)!;
      lot.remaining -= t.take;
      if (lot.fresh) lot.fresh.remaining = lot.remaining;
      else this.rows.lotRemaining.set(lot.id, lot.remaining);
    }
    this.balance -= taken;
    this.rows.entries.push({
      id: newId('ple'),
      memberId: this.memberId,
      storeId: input.storeId,
      delta: -taken,
      kind: input.kind,
      reason: input.reason,
      reference: input.reference,
      idempotencyKey: input.idempotencyKey,
      balanceAfter: this.balance,
      expiresAt: null,
      at: input.at,
    });
    this.addDelta(-taken);
    return taken;
  }

  private addDelta(d: number) {
    this.rows.balanceDelta.set(this.memberId, (this.rows.balanceDelta.get(this.memberId) ?? 0) + d);
  }
}

/** The qualification score at `at` from the orders known so far (tiers' member-score.ts, in TS). */
function scoreAt(program: Pick<Program, 'qualificationModel' | 'rfm'>, growth: number, orders: SimOrder[], at: Date): number {
  const t = at.getTime();
  switch (program.qualificationModel) {
    case 'growth':
      return growth;
    case 'spend': {
      // completedSpendSql: orders completed in (at − 365 d, at], less their refunds made by `at`.
      const from = t - SPEND_WINDOW_DAYS * DAY_MS;
      let sum = 0;
      for (const o of orders) {
        const c = o.completedAt.getTime();
        if (c > from && c <= t) sum += o.amountCents - o.refunds.filter((r) => r.at.getTime() <= t).reduce((s, r) => s + r.amountCents, 0);
      }
      return sum;
    }
    case 'rfm': {
      const c = program.rfm;
      const from = t - c.windowDays * DAY_MS;
      let last: number | null = null;
      let frequency = 0;
      let monetary = 0;
      for (const o of orders) {
        const ct = o.completedAt.getTime();
        const refunded = o.refunds.reduce((s, r) => s + r.amountCents, 0);
        if (ct > from && ct <= t && o.amountCents > refunded) {
          frequency++;
          monetary += Math.max(o.amountCents - refunded, 0);
          last = last === null ? ct : Math.max(last, ct);
        }
      }
      const recencyDays = last === null ? null : Math.floor((t - last) / DAY_MS);
      return rfmScore({ recencyDays, frequency, monetaryCents: monetary }, c).score;
    }
  }
}

/**
 * Local calendar parts and lot expiries for many instants of one zone, fast: the zone's offset
 * is read once per quarter hour (offsets change only on such boundaries) and an expiry once per
 * local month (lotExpiresAt depends on nothing else). The same values as localParts and
 * lotExpiresAt, without an Intl call per order.
 */
export class LocalClock {
  private readonly offsets = new Map<number, number>();
  private readonly expiries = new Map<number, Date | null>();
  constructor(
    private readonly timeZone: string,
    private readonly expiryMonths: number | null,
  ) {}

  parts(at: Date): { year: number; month: number; weekday: number } {
    const t = at.getTime();
    const bucket = Math.floor(t / 900_000);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const start = bucket * 900_000;
      const p = localParts(new Date(start), this.timeZone);
      offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start;
      this.offsets.set(bucket, offset);
    }
    const local = new Date(t + offset);
    return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, weekday: local.getUTCDay() || 7 };
  }

  expiresAt(at: Date): Date | null {
    const p = this.parts(at);
    const key = p.year * 12 + p.month;
    let e = this.expiries.get(key);
    if (e === undefined) {
      e = lotExpiresAt(at, this.expiryMonths, this.timeZone);
      this.expiries.set(key, e);
    }
    return e;
  }
}

interface SimOrder {
  amountCents: number;
  completedAt: Date;
  refunds: { amountCents: number; at: Date }[];
}

/**
 * Replays one member's imported orders and refunds in event time (completedAt, refunds at
 * their `at`; at one instant orders before refunds, then by line) onto `rows`:
 * - an order earns floor(amount units × earn rate × the multiplier of the tier held then ×
 *   member-day multiplier at completedAt) points (none when the member is flagged), a lot
 *   expiring per the program from completedAt, and its purchase growth; then the upgrade rule
 *   (the model's score at completedAt) may lift the tier, recorded at completedAt;
 * - a refund takes back floor-proportional points (the order's own lot first, then FIFO, per
 *   the clawback policy) and growth (clamped at the value) at its time; never a downgrade.
 * No first-order, task or referral reward, no upgrade gift and no event: see docs/imports.md.
 */
export function replayOrders(
  program: Program,
  ladder: Tier[],
  state: MemberState,
  records: OrderRecord[],
  rows: ReplayRows,
  requestHash: string,
  clock: LocalClock = new LocalClock(program.timezone, program.expiry.months),
): { tierCode: string } {
  const points = new PointsState(state.memberId, state, rows);
  let growth = state.growth;
  let tier = ladder.find((t) => t.code === state.tierCode) ?? null;
  const known: SimOrder[] = state.orders.map((o) => ({ amountCents: o.amountCents, completedAt: o.completedAt, refunds: [...o.refunds] }));
  type Ev =
    | { t: number; k: 0; line: number; i: number; rec: OrderRecord }
    | { t: number; k: 1; line: number; i: number; rec: OrderRecord; refund: OrderRecord['refunds'][number] };
  const events: Ev[] = [];
  for (const rec of records) {
    events.push({ t: rec.completedAt.getTime(), k: 0, line: rec.line, i: 0, rec });
    rec.refunds.forEach((refund, i) => events.push({ t: refund.at.getTime(), k: 1, line: rec.line, i: i + 1, rec, refund }));
  }
  events.sort((a, b) => a.t - b.t || a.k - b.k || a.line - b.line || a.i - b.i);
  const placed = new Map<OrderRecord, { order: ImportedOrder; sim: SimOrder; earnEntry: string | null }>();
  const mode = program.refunds.clawback === 'debt' ? 'debt' : 'cap';
  const benefitsOf = new Map<string | null, ReturnType<typeof effectiveBenefitsOf>>();
  for (const ev of events) {
    if (ev.k === 0) {
      const rec = ev.rec;
      const at = rec.completedAt;
      const key = tier?.code ?? null;
      let benefits = benefitsOf.get(key);
      if (!benefits) benefitsOf.set(key, (benefits = effectiveBenefitsOf(tier, null, program)));
      const memberDay = benefits.memberDay;
      const isMemberDay = !!memberDay && memberDay.weekdays.includes(clock.parts(at).weekday);
      const earned = state.flagged
        ? 0
        : orderEarnPoints(
            rec.amountCents,
            program.earn.pointsPerUnit,
            benefits.pointsMultiplierBps ?? BPS,
            isMemberDay ? memberDay.pointsMultiplierBps : BPS,
          );
      const g = purchaseGrowth(rec.amountCents, program.growthRules.purchasePerUnit);
      const orderId = newId('ord');
      let earnEntry: string | null = null;
      if (earned > 0) {
        earnEntry = points.credit({
          points: earned,
          kind: PointsKind.OrderEarn,
          reason: 'order',
          reference: rec.externalId,
          idempotencyKey: orderId,
          storeId: rec.storeId,
          at,
          expiresAt: clock.expiresAt(at),
        });
      }
      const sim: SimOrder = { amountCents: rec.amountCents, completedAt: at, refunds: [] };
      known.push(sim);
      const order: ImportedOrder = {
        id: orderId,
        storeId: rec.storeId,
        externalId: rec.externalId,
        memberId: state.memberId,
        amountCents: rec.amountCents,
        completedAt: at,
        status: 'completed',
        pointsEarned: earned,
        growthEarned: g,
        refundedCents: 0,
        pointsClawbackDue: 0,
        growthClawbackDue: 0,
        requestHash,
      };
      rows.orders.push(order);
      placed.set(rec, { order, sim, earnEntry });
      if (g > 0) {
        growth += g;
        rows.growth.push({
          id: newId('gle'),
          memberId: state.memberId,
          storeId: rec.storeId,
          delta: g,
          kind: GrowthKind.Purchase,
          reason: 'order',
          reference: rec.externalId,
          idempotencyKey: orderId,
          balanceAfter: growth,
          at,
        });
        // The upgrade rule (applyUpgrade), after an order with growth, as live intake runs it.
        if (tier) {
          const target = tierForScore(ladder, program.qualificationModel, scoreAt(program, growth, known, at));
          if (target.rank > tier.rank) {
            rows.tierChanges.push({ id: newId('tch'), memberId: state.memberId, from: tier.code, to: target.code, reason: 'order', at });
            tier = target;
          }
        }
      }
    } else {
      const p = placed.get(ev.rec)!;
      const { order } = p;
      const refund = ev.refund;
      const before = order.refundedCents;
      const after = before + refund.amountCents;
      const refundRowId = newId('rfd');
      const reason = `refund of order ${order.externalId}`;
      const pointsDue = refundClawbackStep(order.pointsEarned, order.amountCents, before, after);
      let pointsClawedBack = 0;
      if (pointsDue > 0) {
        pointsClawedBack = points.debit({
          points: pointsDue,
          mode,
          preferEntryId: p.earnEntry,
          kind: PointsKind.RefundClawback,
          reason,
          reference: refund.refundId,
          idempotencyKey: refundRowId,
          storeId: order.storeId,
          at: refund.at,
        });
      }
      const growthDue = refundClawbackStep(order.growthEarned, order.amountCents, before, after);
      let growthClawedBack = 0;
      if (growthDue > 0) {
        const applied = Math.min(growthDue, Math.max(growth, 0));
        if (applied > 0) {
          growth -= applied;
          rows.growth.push({
            id: newId('gle'),
            memberId: state.memberId,
            storeId: order.storeId,
            delta: -applied,
            kind: GrowthKind.RefundClawback,
            reason,
            reference: refund.refundId,
            idempotencyKey: refundRowId,
            balanceAfter: growth,
            at: refund.at,
          });
        }
        growthClawedBack = applied;
      }
      order.refundedCents = after;
      order.status = after === order.amountCents ? 'refunded' : 'partially_refunded';
      order.pointsClawbackDue += pointsDue;
      order.growthClawbackDue += growthDue;
      p.sim.refunds.push({ amountCents: refund.amountCents, at: refund.at });
      rows.refunds.push({
        id: refundRowId,
        orderId: order.id,
        refundId: refund.refundId,
        amountCents: refund.amountCents,
        pointsClawedBack,
        growthClawedBack,
        requestHash,
        at: refund.at,
      });
    }
  }
  return { tierCode: tier?.code ?? state.tierCode };
}

/**
 * Opening balances of one member (points_balances import): one credit each, idempotent by
 * `reference` (the entry's key), expiring at `expiresAt` or per the program from `at`.
 */
export function replayBalances(program: Program, state: MemberState, records: BalanceRecord[], rows: ReplayRows, at: Date): void {
  const points = new PointsState(state.memberId, state, rows);
  for (const rec of [...records].sort((a, b) => a.line - b.line)) {
    points.credit({
      points: rec.points,
      kind: PointsKind.OpeningBalance,
      reason: 'opening balance',
      reference: rec.reference,
      idempotencyKey: rec.reference,
      storeId: null,
      at,
      expiresAt: rec.expiresAt ?? lotExpiresAt(at, program.expiry.months, program.timezone),
    });
  }
}
