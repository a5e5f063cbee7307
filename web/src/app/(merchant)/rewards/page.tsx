'use client';
import { CrudPage, type CrudSource } from '@/components/crud-page';
import { unwrap, type Schemas } from '@/lib/api';
import { keys } from '@/lib/query';

const source: CrudSource = {
  key: keys.rewards(),
  empty: { title: 'dash.rewards.emptyTitle', body: 'dash.rewards.emptyHelp' },
  list: (api, includeArchived) =>
    unwrap(api.GET('/v1/rewards', { params: { query: { limit: 200, ...(includeArchived ? { includeArchived: 'true' as const } : {}) } } })),
  create: (api, body) => unwrap(api.POST('/v1/rewards', { body: body as Schemas['RewardInput'] })),
  update: (api, code, body) =>
    unwrap(api.PATCH('/v1/rewards/{code}', { params: { path: { code } }, body: body as Schemas['RewardPatch'] })),
  archive: (api, code) => unwrap(api.DELETE('/v1/rewards/{code}', { params: { path: { code } } })),
};

export default function RewardsPage() {
  return (
    <CrudPage
      title="rewards.title"
      source={source}
      fields={[
        { name: 'code', label: 'common.code', type: 'text', required: true, immutable: true },
        { name: 'name', label: 'common.name', type: 'text', required: true },
        { name: 'pointsCost', label: 'rewards.pointsCost', type: 'number', required: true },
        { name: 'couponTemplateCode', label: 'rewards.coupon', type: 'text', nullable: true },
        {
          name: 'stock',
          label: 'rewards.stock',
          column: 'catalogue.stockLeft',
          type: 'number',
          nullable: true,
          editHint: 'rewards.stockHint',
        },
        { name: 'exchanged', label: 'rewards.exchanged', type: 'number', listOnly: true },
      ]}
    />
  );
}
