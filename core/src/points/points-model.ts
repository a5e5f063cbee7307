// A pure, in-memory model of one member's points account: the same rules as the database
// use cases (FIFO lots, debt repaid first, refund keep rule, expiry), used by property tests
// to check the implementation against.
import { allocateFifo, refundClawbackStep, splitCredit } from './points-math.ts';

export interface ModelLot {
  id: string;
  earnedAt: number;
  remaining: number;
  expired: boolean;
}

export class PointsModel {
  balance = 0;
  ledger: number[] = [];
  lots: ModelLot[] = [];

  credit(id: string, points: number, earnedAt: number): void {
    const { remaining } = splitCredit(this.balance, points);
    this.lots.push({ id, earnedAt, remaining, expired: false });
    this.lots.sort((a, b) => a.earnedAt - b.earnedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.apply(points);
  }

  /** Returns the points taken, or null when `strict` refuses. */
  debit(points: number, mode: 'strict' | 'debt' | 'cap', preferLotId?: string): number | null {
    let taken = points;
    if (points > this.balance) {
      if (mode === 'strict') return null;
      if (mode === 'cap') taken = Math.max(this.balance, 0);
    }
    if (taken === 0) return 0;
    const order = this.lots.filter((l) => l.remaining > 0);
    const i = preferLotId ? order.findIndex((l) => l.id === preferLotId) : -1;
    if (i > 0) order.unshift(...order.splice(i, 1));
    for (const t of allocateFifo(order, taken).takes) this.lots.find((l) => l.id === t.id)!.remaining -= t.take;
    this.apply(-taken);
    return taken;
  }

  refundClawback(earned: number, amount: number, before: number, after: number): number {
    return refundClawbackStep(earned, amount, before, after);
  }

  /** Burns what is left of lots the predicate says are expired. */
  expire(isExpired: (lot: ModelLot) => boolean): number {
    let burned = 0;
    for (const lot of this.lots) {
      if (lot.remaining > 0 && isExpired(lot)) {
        burned += lot.remaining;
        this.apply(-lot.remaining);
        lot.remaining = 0;
        lot.expired = true;
      }
    }
    return burned;
  }

  private apply(delta: number): void {
    this.balance += delta;
    this.ledger.push(delta);
  }

  /** The invariants the verify command proves in the database. */
  invariantsHold(): boolean {
    const sumLedger = this.ledger.reduce((s, d) => s + d, 0);
    const sumLots = this.lots.reduce((s, l) => s + l.remaining, 0);
    return sumLedger === this.balance && sumLots === Math.max(this.balance, 0) && this.lots.every((l) => l.remaining >= 0);
  }
}
