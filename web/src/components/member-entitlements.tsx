'use client';
import type { MessageKey } from '@/i18n';
import { unwrap } from '@/lib/api';
import { quotaInWords } from './benefit-words';
import { keys, useApiQuery } from '@/lib/query';
import { EmptyState, QueryView } from './data-ui';
import { useApp } from './providers';
import { Card, Table, Td } from './ui';

/** The member page's benefits section: this period's entitlements and the latest usage. */
export function MemberEntitlements({ member }: { member: string }) {
  const { t, api, money, date, dateTime } = useApp();
  // Under the member's key: a write on the member page (a use, a tier change) reads them again.
  const ents = useApiQuery(keys.memberPart(member, 'entitlements'), () =>
    unwrap(api.GET('/v1/members/{member}/entitlements', { params: { path: { member } } })),
  );
  const usages = useApiQuery(keys.memberPart(member, 'benefit-usages', { limit: 20 }), () =>
    unwrap(api.GET('/v1/members/{member}/benefit-usages', { params: { path: { member }, query: { limit: 20 } } })),
  );
  // Catalogue kinds and the usual pricing kinds in words; a storefront's own label as it is.
  const CATALOGUE = ['coupon_pack', 'service', 'gift', 'access'];
  const PRICING = ['member_price', 'member_day', 'free_shipping', 'coupon', 'points'];
  const kindLabel = (kind: string) =>
    CATALOGUE.includes(kind) ? t(`catalog.kind.${kind}` as MessageKey) : PRICING.includes(kind) ? t(`catalog.pricing.${kind}` as MessageKey) : kind;
  return (
    <Card title={t('catalog.entitlements')} className="lg:col-span-2">
      <QueryView query={ents}>
        {(d) =>
          d.data.length === 0 ? (
            <EmptyState title={t('dash.member.noEntitlements')} body={t('dash.member.noEntitlementsHelp')} />
          ) : (
            <Table head={[t('common.name'), t('catalog.grants'), t('catalog.period'), t('catalog.uses'), t('catalog.remaining')]}>
              {d.data.map((e) => (
                <tr key={e.benefitCode} data-testid={`entitlement-${e.benefitCode}`}>
                  <Td className="font-medium">
                    {e.name}
                    <div className="text-xs text-slate-500">{t(`catalog.source.${e.source}` as MessageKey)}</div>
                  </Td>
                  <Td>{quotaInWords(t, e.granted, e.per, e.kind === 'coupon_pack')}</Td>
                  <Td>
                    {date(e.periodStart)} – {date(new Date(new Date(e.periodEnd).getTime() - 1).toISOString())}
                  </Td>
                  <Td>{e.used}</Td>
                  <Td>{e.remaining === null ? t('catalog.unlimited') : e.remaining}</Td>
                </tr>
              ))}
            </Table>
          )
        }
      </QueryView>
      <h3 className="mt-4 mb-2 text-sm font-semibold text-slate-700">{t('catalog.usage')}</h3>
      <QueryView query={usages}>
        {(d) =>
          d.data.length === 0 ? (
            <p className="text-sm text-slate-500">{t('dash.member.noUsage')}</p>
          ) : (
            <Table head={[t('common.created'), t('common.name'), t('catalog.kind'), t('catalog.value')]}>
              {d.data.map((u) => (
                <tr key={u.id}>
                  <Td>{dateTime(u.at)}</Td>
                  <Td>{u.name ?? kindLabel(u.benefitCode)}</Td>
                  <Td>{kindLabel(u.kind)}</Td>
                  <Td>{u.amountCents === null ? '—' : money(u.amountCents)}</Td>
                </tr>
              ))}
            </Table>
          )
        }
      </QueryView>
    </Card>
  );
}
