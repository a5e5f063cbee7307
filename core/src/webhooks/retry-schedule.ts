/** Delays after the 1st, 2nd, 3rd and 4th failed attempt; hourly after that. */
export const RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000] as const;
export const HOURLY_MS = 3_600_000;
/** Retries stop once the next attempt would fall more than 24 h after the first one. */
export const RETRY_WINDOW_MS = 24 * HOURLY_MS;

/**
 * When to try again after `failedAttempts` failures (1 = the first attempt failed), or null when
 * the schedule is exhausted: ~10 s, 1 min, 5 min, 30 min, then hourly within 24 h of the first
 * attempt.
 */
export function nextAttemptAt(
  failedAttempts: number,
  firstAttemptAt: Date,
  now: Date,
  schedule: { delaysMs?: readonly number[]; thenMs?: number; windowMs?: number } = {},
): Date | null {
  const delay = (schedule.delaysMs ?? RETRY_DELAYS_MS)[failedAttempts - 1] ?? schedule.thenMs ?? HOURLY_MS;
  const next = new Date(now.getTime() + delay);
  if (next.getTime() - firstAttemptAt.getTime() > (schedule.windowMs ?? RETRY_WINDOW_MS)) return null;
  return next;
}
