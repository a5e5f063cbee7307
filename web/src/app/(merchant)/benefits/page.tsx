'use client';
import Link from 'next/link';
import { useApp, useLoad } from '@/components/providers';
import { Async, Card, PageTitle, Table, Td } from '@/components/ui';
import { unwrap } from '@/lib/api';
import { formatDiscount, formatMultiplier } from '@/lib/units';

const WEEKDAYS_EN = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const WEEKDAYS_ZH = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

export default function BenefitsPage() {
  const { t, api, money, locale } = useApp();
  const tiers = useLoad(() => unwrap(api.GET('/v1/tiers')), []);
  const yes = (b: boolean | undefined) => (b ? t('common.yes') : t('common.no'));
  const days = locale === 'zh-CN' ? WEEKDAYS_ZH : WEEKDAYS_EN;
  return (
    <>
      <PageTitle>{t('benefits.title')}</PageTitle>
      <p className="mb-4 text-sm text-slate-600">
        <Link href="/tiers" className="text-indigo-700 underline">
          {t('benefits.editHint')}
        </Link>
      </p>
      <Card>
        <Async state={tiers}>
          {(d) => (
            <Table
              head={[
                t('members.tier'),
                t('benefits.discount'),
                t('benefits.multiplier'),
                t('benefits.freeShipping'),
                t('benefits.memberDay'),
                t('benefits.exclusive'),
                t('benefits.priority'),
                t('benefits.fastRefund'),
              ]}
            >
              {d.data.map((x) => {
                const b = x.benefits;
                return (
                  <tr key={x.code}>
                    <Td className="font-medium">{x.name}</Td>
                    <Td>{b.discountBps !== undefined ? (formatDiscount(b.discountBps, locale) ?? t('units.noDiscount')) : '—'}</Td>
                    <Td>{b.pointsMultiplierBps !== undefined ? formatMultiplier(b.pointsMultiplierBps) : '—'}</Td>
                    <Td>
                      {b.freeShippingThresholdCents === undefined || b.freeShippingThresholdCents === null
                        ? '—'
                        : b.freeShippingThresholdCents === 0
                          ? t('benefits.always')
                          : t('benefits.from', { amount: money(b.freeShippingThresholdCents) })}
                    </Td>
                    <Td>
                      {b.memberDay
                        ? `${b.memberDay.weekdays.map((w) => days[w]).join(', ')} · ${formatDiscount(b.memberDay.discountBps ?? 10000, locale) ?? t('units.noDiscount')}`
                        : '—'}
                    </Td>
                    <Td>{yes(b.exclusiveAccess)}</Td>
                    <Td>
                      {yes(b.prioritySupport)} / {yes(b.priorityDelivery)}
                    </Td>
                    <Td>{yes(b.fastRefund)}</Td>
                  </tr>
                );
              })}
            </Table>
          )}
        </Async>
      </Card>
    </>
  );
}
