'use client';
import { CrudPage, type CrudSource } from '@/components/crud-page';
import { unwrap, type Schemas } from '@/lib/api';

const source: CrudSource = {
  list: (api) => unwrap(api.GET('/v1/coupon-templates', { params: { query: { limit: 200 } } })),
  create: (api, body) => unwrap(api.POST('/v1/coupon-templates', { body: body as Schemas['CouponTemplateInput'] })),
};

export default function CouponsPage() {
  return (
    <CrudPage
      title="coupons.title"
      source={source}
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
