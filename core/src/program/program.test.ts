import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAM_SETTINGS } from './program.ts';
import { programPatchSchema } from './program.contract.ts';

describe('program defaults', () => {
  it('carry the defaults of docs/rules.md', () => {
    expect(DEFAULT_PROGRAM_SETTINGS.earn.pointsPerUnit).toBe(1);
    expect(DEFAULT_PROGRAM_SETTINGS.redeem).toEqual({ pointsPerUnit: 100, maxShareBps: 5000 });
    expect(DEFAULT_PROGRAM_SETTINGS.expiry.months).toBe(12);
    expect(DEFAULT_PROGRAM_SETTINGS.growthRules.dailyLogin).toBe(5);
    expect(DEFAULT_PROGRAM_SETTINGS.checkIn.rewards).toEqual([1, 2, 3, 5, 5, 5, 10]);
    expect(DEFAULT_PROGRAM_SETTINGS.retention).toMatchObject({ period: 'quarter', warnDays: 15 });
  });
  it('patches are partial, strict and bounded', () => {
    expect(programPatchSchema.safeParse({ redeem: { maxShareBps: 3000 } }).success).toBe(true);
    expect(programPatchSchema.safeParse({ redeem: { maxShareBps: 10_001 } }).success).toBe(false);
    expect(programPatchSchema.safeParse({ unknown: 1 }).success).toBe(false);
    expect(programPatchSchema.safeParse({ timezone: 'Nowhere/City' }).success).toBe(false);
  });
});
