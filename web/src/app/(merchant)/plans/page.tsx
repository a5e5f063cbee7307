'use client';
import { CrudPage, type CrudSource } from '@/components/crud-page';
import { unwrap, type Schemas } from '@/lib/api';
import { keys } from '@/lib/query';

const source: CrudSource = {
  key: keys.plans(),
  empty: { title: 'dash.plans.emptyTitle', body: 'dash.plans.emptyHelp' },
  list: (api, includeArchived) =>
    unwrap(api.GET('/v1/plans', { params: { query: includeArchived ? { includeArchived: 'true' as const } : {} } })),
  create: (api, body) => unwrap(api.POST('/v1/plans', { body: body as Schemas['PlanInput'] })),
  update: (api, code, body) => unwrap(api.PATCH('/v1/plans/{code}', { params: { path: { code } }, body: body as Schemas['PlanPatch'] })),
  archive: (api, code) => unwrap(api.DELETE('/v1/plans/{code}', { params: { path: { code } } })),
};

export default function PlansPage() {
  return (
    <CrudPage
      title="plans.title"
      source={source}
      fields={[
        { name: 'code', label: 'common.code', type: 'text', required: true, immutable: true },
        { name: 'name', label: 'common.name', type: 'text', required: true },
        { name: 'priceCents', label: 'plans.price', type: 'number', unit: 'money', required: true, editHint: 'plans.priceHint' },
        {
          name: 'period',
          label: 'plans.period',
          type: 'select',
          options: [
            { value: 'year', label: 'plans.year' },
            { value: 'month', label: 'plans.month' },
          ],
        },
        { name: 'trialDays', label: 'plans.trialDays', type: 'number' },
        // The plan's own benefits, merged with the tier's (the better of each applies).
        {
          name: 'discountBps',
          within: 'benefits',
          label: 'tiers.discount',
          type: 'number',
          unit: 'discount',
          formOnly: true,
          editHint: 'plans.benefitsHint',
        },
        { name: 'pointsMultiplierBps', within: 'benefits', label: 'tiers.multiplier', type: 'number', unit: 'multiplier', formOnly: true },
        { name: 'freeShippingThresholdCents', within: 'benefits', label: 'tiers.freeShipping', type: 'number', unit: 'money', formOnly: true },
      ]}
    />
  );
}
