import { z, dateOnly } from '../shared/zod.ts';

export const analyticsSummaryQuery = z
  .object({
    from: dateOnly().optional().describe('First local day (tenant time zone), default 29 days before `to`'),
    to: dateOnly().optional().describe('Last local day, inclusive; default today'),
  })
  .describe('The local-day range of the summary')
  .openapi('AnalyticsSummaryQuery');
export type AnalyticsSummaryQuery = z.infer<typeof analyticsSummaryQuery>;

const count = () => z.number().int();

export const analyticsSummarySchema = z
  .object({
    from: z.string().describe('First local day of the range'),
    to: z.string().describe('Last local day of the range, inclusive'),
    timezone: z.string().describe('Tenant time zone the days are in'),
    currency: z.string().describe('Currency of every …Cents figure'),
    members: count().describe('All members at the end of the range'),
    newMembers: count().describe('Members enrolled in the range'),
    activeMembers: count().describe('Members with any points or growth movement in the range'),
    newMembersByDay: z.array(z.object({ date: z.string().describe('Local day YYYY-MM-DD'), count: count().describe('Members enrolled that day') })).describe('Enrolments per day of the range'),
    tierDistribution: z
      .array(z.object({ code: z.string().describe('Tier code'), name: z.string().describe('Tier name'), rank: count().describe('Tier rank'), members: count().describe('Members on it now') }))
      .describe('Members per tier now, by rank'),
    tierMovement: z.object({ upgrades: count().describe('Upward tier changes in the range'), downgrades: count().describe('Downward tier changes in the range') }).describe('Tier changes in the range'),
    pointsIssued: count().describe('Points credited in the range'),
    pointsRedeemed: count().describe('Points spent in the range (redemptions and exchanges)'),
    pointsExpired: count().describe('Points that expired in the range'),
    pointsOutstanding: count().describe('Sum of all balances now'),
    liabilityCents: count().describe('Outstanding points valued at the redeem rate, rounded down'),
    benefitUsage: z
      .array(
        z.object({
          kind: z.string().describe('Benefit kind as reported by orders'),
          orders: count().describe('Orders that used it'),
          amountCents: count().describe('What it was worth in total, in cents'),
          rateBps: count().describe('Share of the range’s orders that used it, in basis points'),
        }),
      )
      .describe('Benefits used on orders in the range'),
    arpuByTierCents: z.record(z.string(), count()).describe('Completed spend in the range per member of the tier'),
    repeatPurchaseRateByTierBps: z.record(z.string(), count()).describe('Per tier code: share of its buyers with two or more orders in the range, in basis points'),
    rfmSegments: z
      .array(z.object({ segment: z.string().describe('Segment name (`champions`, `at_risk`, …, `no_orders`)'), members: count().describe('Members in it') }))
      .describe('RFM segments over the 365 days ending with `rfmAsOf`, members without an order there are `no_orders`'),
    rfmAsOf: z
      .string()
      .describe('Local day the RFM segments were computed for: `to` once that day is over, else the day before today (segments are a daily snapshot)'),
  })
  .describe('Program figures over a range of local days')
  .openapi('AnalyticsSummary');
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;
