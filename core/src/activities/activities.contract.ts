import { z, cents, str } from '../shared/zod.ts';

export const activityType = z.enum(['login', 'review', 'photo_review', 'share', 'profile_completed']);

export const recordActivityBody = z
  .object({
    type: activityType,
    reference: str(255).describe('Idempotency key of the activity (review id, session id ...)'),
    itemPriceCents: cents().optional().describe('Reviews: the reviewed item price'),
    itemSku: str(128).optional().describe('Photo reviews: the item, for the first-N-per-item rule'),
  })
  .strict()
  .openapi('RecordActivity');
export type RecordActivityInput = z.infer<typeof recordActivityBody>;

export const recordActivityResult = z
  .object({ growthAwarded: z.number().int(), pointsAwarded: z.number().int() })
  .openapi('RecordActivityResult');
export type RecordActivityResult = z.infer<typeof recordActivityResult>;

export const revokeActivityResult = z
  .object({ growthClawedBack: z.number().int(), pointsClawedBack: z.number().int() })
  .openapi('RevokeActivityResult');
export type RevokeActivityResult = z.infer<typeof revokeActivityResult>;

export const checkInResult = z
  .object({ streak: z.number().int(), pointsAwarded: z.number().int(), localDate: z.string() })
  .openapi('CheckInResult');
export type CheckInResult = z.infer<typeof checkInResult>;
