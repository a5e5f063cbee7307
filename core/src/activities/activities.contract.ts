import { z, cents, str } from '../shared/zod.ts';

export const activityType = z.enum(['login', 'review', 'photo_review', 'share', 'profile_completed']);

export const recordActivityBody = z
  .object({
    type: activityType.describe('What the member did'),
    reference: str(255).describe('Idempotency key of the activity (review id, session id ...)'),
    itemPriceCents: cents().optional().describe('Reviews: the reviewed item price'),
    itemSku: str(128).optional().describe('Photo reviews: the item, for the first-N-per-item rule'),
  })
  .strict()
  .describe('A member activity that may earn growth and points')
  .openapi('RecordActivity');
export type RecordActivityInput = z.infer<typeof recordActivityBody>;

export const recordActivityResult = z
  .object({ growthAwarded: z.number().int().describe('Growth earned (0 when a cap or rule gives nothing)'), pointsAwarded: z.number().int().describe('Points earned') })
  .describe('What the activity earned')
  .openapi('RecordActivityResult');
export type RecordActivityResult = z.infer<typeof recordActivityResult>;

export const revokeActivityResult = z
  .object({ growthClawedBack: z.number().int().describe('Growth taken back'), pointsClawedBack: z.number().int().describe('Points taken back') })
  .describe('What revoking the activity took back')
  .openapi('RevokeActivityResult');
export type RevokeActivityResult = z.infer<typeof revokeActivityResult>;

export const checkInResult = z
  .object({ streak: z.number().int().describe('Consecutive local days checked in, today included'), pointsAwarded: z.number().int().describe('Points earned'), localDate: z.string().describe('The local day (YYYY-MM-DD)') })
  .describe('The check-in')
  .openapi('CheckInResult');
export type CheckInResult = z.infer<typeof checkInResult>;
