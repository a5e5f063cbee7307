'use client';
import { CrudPage } from '@/components/crud-page';

export default function CouponsPage() {
  return (
    <CrudPage
      title="coupons.title"
      path="/v1/coupon-templates"
      fields={[
        { name: 'code', label: 'common.code', type: 'text', required: true },
        { name: 'name', label: 'common.name', type: 'text', required: true },
        {
          name: 'kind',
          label: 'coupons.kind',
          type: 'select',
          options: [
            { value: 'amount', label: 'coupons.amount' },
            { value: 'percent', label: 'coupons.percent' },
            { value: 'free_shipping', label: 'benefits.freeShipping' },
          ],
        },
        { name: 'amountCents', label: 'coupons.amount', type: 'number' },
        { name: 'percentBps', label: 'coupons.percent', type: 'number' },
        { name: 'minSpendCents', label: 'coupons.minSpend', type: 'number' },
        { name: 'validDays', label: 'coupons.validDays', type: 'number', required: true },
        { name: 'stock', label: 'coupons.stock', type: 'number' },
      ]}
    />
  );
}
