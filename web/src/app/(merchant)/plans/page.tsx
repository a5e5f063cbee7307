'use client';
import { CrudPage } from '@/components/crud-page';

export default function PlansPage() {
  return (
    <CrudPage
      title="plans.title"
      path="/v1/plans"
      fields={[
        { name: 'code', label: 'common.code', type: 'text', required: true },
        { name: 'name', label: 'common.name', type: 'text', required: true },
        { name: 'priceCents', label: 'plans.price', type: 'number', required: true },
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
      ]}
    />
  );
}
