import { z, code, str, rfc3339 } from '../shared/zod.ts';

export const campaignBody = z
  .object({
    code: code().describe('Unique per tenant'),
    name: str(100).describe('Shown to members'),
    kind: z.enum(['early_access', 'application']).describe('early_access: SKUs open per tier in the quote; application: members apply for seats'),
    startsAt: rfc3339().describe('When the campaign opens (to every tier without its own start)'),
    endsAt: rfc3339().describe('When it closes'),
    tierStarts: z
      .array(z.object({ tier: code().describe('Tier code'), startsAt: rfc3339().describe('When the campaign opens to this tier') }).strict())
      .max(20)
      .optional()
      .describe('Earlier (or later) opening per tier, e.g. 钻石 two hours before 金牌'),
    skus: z.array(str(128)).max(500).optional().describe('early_access: the SKUs of the campaign'),
    perMemberLimit: z.number().int().min(1).max(100_000).optional().describe("early_access: the most units of the campaign's SKUs one member may buy"),
    seats: z.number().int().min(1).max(1_000_000).optional().describe('application: how many may apply (absent = unlimited)'),
  })
  .strict()
  .openapi('CampaignInput');
export type CampaignInput = z.infer<typeof campaignBody>;

export const campaignSchema = z
  .object({
    code: z.string().describe('Campaign code'),
    name: z.string().describe('Campaign name'),
    kind: z.enum(['early_access', 'application']).describe('Kind'),
    startsAt: z.string().describe('Opens'),
    endsAt: z.string().describe('Closes'),
    tierStarts: z.array(z.object({ tier: z.string().describe('Tier code'), startsAt: z.string().describe('Opens to this tier') })).describe('Opening per tier'),
    skus: z.array(z.string()).describe('SKUs (early access)'),
    perMemberLimit: z.number().int().nullable().describe('Units per member (early access)'),
    seats: z.number().int().nullable().describe('Seats (applications; null = unlimited)'),
    applied: z.number().int().describe('Applications so far'),
    createdAt: z.string().describe('Created'),
  })
  .openapi('Campaign');
export type CampaignDto = z.infer<typeof campaignSchema>;

export const campaignParams = z.object({ code: code().describe('Campaign code') });
export const applicationBody = z
  .object({ member: str(200).describe('unionId or openid:<openId>'), reference: str(128).describe('Idempotency key of the application') })
  .strict()
  .openapi('CampaignApplicationInput');
export const applicationSchema = z
  .object({
    id: z.string().describe('Application id'),
    campaign: z.string().describe('Campaign code'),
    unionId: z.string().describe('The member'),
    status: z.enum(['applied', 'approved']).describe('applied, then approved by staff'),
    approvedAt: z.string().nullable().describe('When approved'),
    createdAt: z.string().describe('When applied'),
  })
  .openapi('CampaignApplication');
export type ApplicationDto = z.infer<typeof applicationSchema>;
export const applicationParams = z.object({ code: code().describe('Campaign code'), id: z.string().min(1).max(64).describe('Application id') });
