'use client';
import { CrudPage } from '@/components/crud-page';

export default function RewardsPage() {
  return (
    <CrudPage
      title="rewards.title"
      path="/v1/rewards"
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
