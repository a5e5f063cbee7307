'use client';
import { CrudPage, type CrudSource } from '@/components/crud-page';
import { unwrap, type Schemas } from '@/lib/api';

const source: CrudSource = {
  list: (api) => unwrap(api.GET('/v1/rewards', { params: { query: { limit: 200 } } })),
  create: (api, body) => unwrap(api.POST('/v1/rewards', { body: body as Schemas['RewardInput'] })),
};

export default function RewardsPage() {
  return (
    <CrudPage
      title="rewards.title"
      source={source}
      fields={[
        { name: 'code', label: 'common.code', type: 'text', required: true },
        { name: 'name', label: 'common.name', type: 'text', required: true },
        { name: 'pointsCost', label: 'rewards.pointsCost', type: 'number', required: true },
        { name: 'couponTemplateCode', label: 'rewards.coupon', type: 'text' },
        { name: 'stock', label: 'rewards.stock', type: 'number' },
      ]}
    />
  );
}
