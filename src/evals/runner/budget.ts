/**
 * The run's spending cap. Each call reserves an estimate before it starts and settles on its
 * actual cost after, and a call is only admitted while spent + reserved + estimate fits in the
 * limit; so concurrent calls can overshoot the cap by at most what in-flight calls cost beyond
 * their estimates. Once a call is refused, the budget is exhausted and nothing new starts.
 */
import type { NanoUsd } from '../../core/money.js';

export interface Reservation {
  readonly amountNano: NanoUsd;
}

export interface Budget {
  readonly limitNano: NanoUsd | undefined;
  readonly spentNano: NanoUsd;
  readonly reservedNano: NanoUsd;
  readonly exhausted: boolean;
  /** Null when the call does not fit: the budget is then exhausted. */
  tryReserve(estimateNano: NanoUsd): Reservation | null;
  /** `actualNano` null (unpriced) settles as zero spend. */
  settle(reservation: Reservation, actualNano: NanoUsd | null): void;
}

export function createBudget(limitNano: NanoUsd | undefined): Budget {
  let spent = 0;
  let reserved = 0;
  let exhausted = false;
  return {
    limitNano,
    get spentNano() { return spent; },
    get reservedNano() { return reserved; },
    get exhausted() { return exhausted; },
    tryReserve(estimateNano) {
      const estimate = Math.max(0, estimateNano);
      if (limitNano !== undefined) {
        const committed = spent + reserved;
        const fits = estimate > 0 ? committed + estimate <= limitNano : committed < limitNano;
        if (exhausted || !fits) {
          exhausted = true;
          return null;
        }
      }
      reserved += estimate;
      return { amountNano: estimate };
    },
    settle(reservation, actualNano) {
      reserved -= reservation.amountNano;
      spent += actualNano ?? 0;
    },
  };
}
