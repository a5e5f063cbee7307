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

export const settlementQuery = z
  .object({
    month: z
      .string()
      .regex(/^(19|2\d)\d{2}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM (1900-01 to 2999-12)')
      .optional()
      .describe('The calendar month YYYY-MM in the tenant time zone; default the current one'),
    format: z.enum(['json', 'csv']).optional().describe('`csv`: the matrix as text/csv with a header row; default JSON'),
  })
  .describe('The month of the statement and its format')
  .openapi('SettlementQuery');
export type SettlementQuery = z.infer<typeof settlementQuery>;

const storeRef = () => z.string().nullable();

export const settlementSchema = z
  .object({
    month: z.string().describe('The month YYYY-MM (tenant time zone)'),
    timezone: z.string().describe('Tenant time zone the month is in'),
    currency: z.string().describe('Currency of every …Cents figure'),
    pointsPerUnit: count().describe('Points worth one currency unit (the program’s redeem rate) used for every value'),
    stores: z
      .array(
        z.object({
          storeId: storeRef().describe('The store; null for points credited or spent at no store (gifts, adjustments without a store)'),
          code: storeRef().describe('The store’s code; null with storeId'),
          name: storeRef().describe('The store’s name; null with storeId'),
          issuedPoints: count().describe('Points credited at the store in the month (every earning, returned redemptions included; merges are moves, not issues)'),
          redeemedPoints: count().describe('Points spent at the store in the month: redemptions at checkout and reward exchanges, as the ledger has them'),
          payableCents: count().describe('Value of the store’s points spent in other stores this month: what it owes them'),
          receivableCents: count().describe('Value of other stores’ points spent at this store this month: what they owe it'),
          netCents: z.number().int().describe('receivableCents − payableCents (negative: the store pays)'),
        }),
      )
      .describe('Every store of the tenant (by code), then a row with storeId null when anything was credited or spent at no store'),
    matrix: z
      .array(
        z.object({
          issuedBy: storeRef().describe('Store that issued the points (the lot’s store); null: issued at no store'),
          redeemedAt: storeRef().describe('Store where they were spent; null: spent at no store'),
          points: count().describe('Points of lots issued by `issuedBy` consumed by redemptions and exchanges at `redeemedAt` in the month'),
          valueCents: count().describe('points × 100 / pointsPerUnit, rounded down'),
        }),
      )
      .describe('Issuer × redeemer cells with points (same-store cells included; only cells between two different stores are owed)'),
    unattributedPoints: count().describe(
      'Points the ledger shows spent in the month that no lot use accounts for: consumption recorded before lot attribution began (0 for later months)',
    ),
  })
  .describe('A month’s store settlement: who issued the points spent where, from the FIFO lots')
  .openapi('Settlement');
export type Settlement = z.infer<typeof settlementSchema>;
