'use client';
import { CrudPage, showUnit, type CrudSource } from '@/components/crud-page';
import { unwrap, type Schemas } from '@/lib/api';
import { keys } from '@/lib/query';

const source: CrudSource = {
  key: keys.couponTemplates(),
  empty: { title: 'dash.coupons.emptyTitle', body: 'dash.coupons.emptyHelp' },
  list: (api, includeArchived) =>
    unwrap(
      api.GET('/v1/coupon-templates', {
        params: { query: { limit: 200, ...(includeArchived ? { includeArchived: 'true' as const } : {}) } },
      }),
    ),
  create: (api, body) => unwrap(api.POST('/v1/coupon-templates', { body: body as Schemas['CouponTemplateInput'] })),
  update: (api, code, body) =>
    unwrap(api.PATCH('/v1/coupon-templates/{code}', { params: { path: { code } }, body: body as Schemas['CouponTemplatePatch'] })),
  archive: (api, code) => unwrap(api.DELETE('/v1/coupon-templates/{code}', { params: { path: { code } } })),
};

export default function CouponsPage() {
  return (
    <CrudPage
      title="coupons.title"
      source={source}
      fields={[
        { name: 'code', label: 'common.code', type: 'text', required: true, immutable: true },
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
          editHint: 'coupons.termsHint',
        },
        {
          name: 'value',
          label: 'coupons.value',
          type: 'text',
          listOnly: true,
          show: (r, f) =>
            r.kind === 'amount'
              ? showUnit('money', r.amountCents, f)
              : r.kind === 'percent'
                ? showUnit('percentOff', r.percentBps, f)
                : f.t('benefits.freeShipping'),
        },
        { name: 'amountCents', label: 'coupons.amount', type: 'number', unit: 'money', nullable: true, formOnly: true },
        { name: 'percentBps', label: 'coupons.percent', type: 'number', unit: 'percentOff', nullable: true, formOnly: true },
        { name: 'minSpendCents', label: 'coupons.minSpend', column: 'coupons.minSpendColumn', type: 'number', unit: 'money' },
        { name: 'validDays', label: 'coupons.validDays', type: 'number', required: true, editHint: 'coupons.validDaysHint' },
        {
          name: 'stock',
          label: 'coupons.stock',
          column: 'catalogue.stockLeft',
          type: 'number',
          nullable: true,
          editHint: 'coupons.stockHint',
        },
        { name: 'issued', label: 'coupons.issued', type: 'number', listOnly: true },
      ]}
    />
  );
}
