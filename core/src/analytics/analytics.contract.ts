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

/** RFM segment names (see rfm-snapshot.ts); members without an order in the window are `no_orders`. */
export const RFM_SEGMENT_NAMES = ['champions', 'loyal', 'recent', 'potential', 'at_risk', 'hibernating', 'no_orders'] as const;
export const rfmSegmentSchema = z.enum(RFM_SEGMENT_NAMES).openapi('RfmSegment');
export type RfmSegment = z.infer<typeof rfmSegmentSchema>;

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
      .array(z.object({ segment: rfmSegmentSchema.describe('The segment'), members: count().describe('Members in it') }))
      .describe('RFM segments over the 365 days ending with `rfmAsOf`, members without an order there are `no_orders`'),
    rfmAsOf: z
      .string()
      .describe('Local day the RFM segments were computed for: `to` once that day is over, else the day before today (segments are a daily snapshot)'),
  })
  .describe('Program figures over a range of local days')
  .openapi('AnalyticsSummary');
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;

export const analyticsTrendsQuery = analyticsSummaryQuery.openapi('AnalyticsTrendsQuery');
export type AnalyticsTrendsQuery = z.infer<typeof analyticsTrendsQuery>;

export const analyticsTrendsSchema = z
  .object({
    from: z.string().describe('First local day of the range'),
    to: z.string().describe('Last local day of the range, inclusive'),
    timezone: z.string().describe('The tenant time zone the days are in'),
    currency: z.string().describe('The tenant currency of `liabilityCents`'),
    days: z
      .array(
        z.object({
          date: z.string().describe('Local day'),
          members: count().describe('Members at the end of the day'),
          newMembers: count().describe('Members who joined that day'),
          pointsIssued: count().describe('Points issued that day (as in the summary)'),
          pointsRedeemed: count().describe('Points redeemed that day, net of returned redemptions, plus exchanges'),
          pointsOutstanding: count().describe('Sum of positive balances at the end of the day'),
          liabilityCents: count().describe('`pointsOutstanding` valued at the redeem rate, rounded down'),
          upgrades: count().describe('Tier changes to a higher rank that day'),
          downgrades: count().describe('Tier changes to a lower rank that day'),
        }),
      )
      .describe('One entry per local day of [from, to], in order'),
  })
  .openapi('AnalyticsTrends');
export type AnalyticsTrends = z.infer<typeof analyticsTrendsSchema>;
