'use client';
import { use, useRef, useState, type ReactNode } from 'react';
import { useApp, useCan } from '@/components/providers';
import { Badge, Button, Card, ConfirmDialog, ErrorNote, Field, PageTitle, Select } from '@/components/ui';
import { ActionsMenu, DataList, EmptyState, QueryView, Skeleton, Tabs } from '@/components/data-ui';
import { FormDialog } from '@/components/form-dialog';
import { MemberEntitlements } from '@/components/member-entitlements';
import { MemberTasksCard } from '@/components/member-tasks';
import { unwrap } from '@/lib/api';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';

/** A random write reference (getRandomValues works outside secure contexts too, unlike randomUUID). */
const newReference = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

type Tab = 'activity' | 'benefits' | 'tasks' | 'coupons' | 'identities' | 'history' | 'profile';
type Action = 'adjust' | 'tier' | 'trial' | 'grant' | 'merge' | null;

export default function MemberPage({ params }: { params: Promise<{ member: string }> }) {
  const ref = decodeURIComponent(use(params).member);
  const { t, api, num, date, dateTime, label } = useApp();
  // Staff adjust points and grant coupons; tier changes, trials and merges are the admins'.
  const can = useCan();
  const [tab, setTab] = useState<Tab>('activity');
  const [action, setAction] = useState<Action>(null);
  const [mergeFrom, setMergeFrom] = useState<string | null>(null);
  // One reference per intended write, kept until it succeeds: a resubmit after a lost response
  // replays the first result instead of adjusting or granting twice.
  const adjustReference = useRef<string | null>(null);
  const grantReference = useRef<string | null>(null);

  const member = useApiQuery(keys.member(ref), () => unwrap(api.GET('/v1/members/{member}', { params: { path: { member: ref } } })));
  const stores = useApiQuery(keys.stores(), () => unwrap(api.GET('/v1/stores', { params: { query: { limit: 200 } } })));
  const tiers = useApiQuery(keys.tiers(), () => unwrap(api.GET('/v1/tiers')));
  const points = useApiQuery(keys.memberPart(ref, 'ledger', { kind: 'points' }), () =>
    unwrap(api.GET('/v1/members/{member}/ledger', { params: { path: { member: ref }, query: { kind: 'points', limit: 100 } } })),
  );
  const growth = useApiQuery(keys.memberPart(ref, 'ledger', { kind: 'growth' }), () =>
    unwrap(api.GET('/v1/members/{member}/ledger', { params: { path: { member: ref }, query: { kind: 'growth', limit: 100 } } })),
  );
  const history = useApiQuery(keys.memberPart(ref, 'tier-history'), () =>
    unwrap(api.GET('/v1/members/{member}/tier-history', { params: { path: { member: ref }, query: { limit: 100 } } })),
  );
  const coupons = useApiQuery(keys.memberPart(ref, 'coupons'), () =>
    unwrap(api.GET('/v1/members/{member}/coupons', { params: { path: { member: ref } } })),
  );
  const templates = useApiQuery(
    keys.couponTemplates(),
    () => unwrap(api.GET('/v1/coupon-templates', { params: { query: { limit: 200 } } })),
    {
      enabled: action === 'grant',
    },
  );

  // Every write changes the member: its page parts and the lists are read again.
  const all = () => [keys.members()];
  const adjust = useApiMutation({
    run: (v: { delta: number; reason: string }) =>
      unwrap(
        api.POST('/v1/members/{member}/points/adjust', {
          params: { path: { member: ref } },
          body: { ...v, reference: (adjustReference.current ??= newReference()) },
        }),
      ),
    invalidate: all,
    success: (r) => {
      adjustReference.current = null;
      return t('member.adjusted', { balance: num(r.balance) });
    },
  });
  const changeTier = useApiMutation({
    run: (v: { tierCode: string; reason: string }) =>
      unwrap(api.POST('/v1/members/{member}/tier', { params: { path: { member: ref } }, body: v })),
    invalidate: all,
    success: (r) => t('member.tierChanged', { tier: r.tier.name }),
  });
  const trial = useApiMutation({
    run: (v: { tierCode?: string; days?: number }) =>
      unwrap(api.POST('/v1/members/{member}/tier-trial', { params: { path: { member: ref } }, body: v })),
    invalidate: all,
    success: (r) => t('member.trialStarted', { tier: r.tier.name, date: date(r.tier.trialUntil) }),
  });
  const grant = useApiMutation({
    run: (templateCode: string) =>
      unwrap(
        api.POST('/v1/members/{member}/coupons', {
          params: { path: { member: ref } },
          body: { templateCode, reference: (grantReference.current ??= newReference()) },
        }),
      ),
    invalidate: () => [keys.members(), keys.couponTemplates()],
    success: (c) => {
      grantReference.current = null;
      return t('member.granted', { name: c.template.name, code: c.code });
    },
  });
  const merge = useApiMutation({
    run: (fromUnionId: string) =>
      unwrap(api.POST('/v1/members/{member}/merge', { params: { path: { member: ref } }, body: { fromUnionId } })),
    invalidate: all,
    success: (_r, from) => t('member.merged', { from }),
  });

  const storeName = (id: string) => stores.data?.data.find((s) => s.id === id)?.name ?? id;
  const ladder = tiers.data?.data ?? [];
  const tierName = (code: string | null) => (code ? (ladder.find((x) => x.code === code)?.name ?? code) : '—');
  const tierReason = (reason: string) =>
    reason.startsWith('manual: ') ? t('tierReason.manual', { reason: reason.slice('manual: '.length) }) : label('TierChangeReason', reason);

  return (
    <QueryView query={member} rows={8}>
      {(m) => {
        const current = ladder.find((x) => x.code === m.tier.code);
        const next = m.growth.nextTier ? ladder.find((x) => x.code === m.growth.nextTier!.code) : undefined;
        const floor = current?.minGrowth ?? 0;
        const target = next?.minGrowth ?? m.growth.value + (m.growth.nextTier?.missing ?? 0);
        const pct = m.growth.nextTier
          ? Math.max(0, Math.min(100, Math.round(((m.growth.value - floor) * 100) / Math.max(1, target - floor))))
          : 100;
        // Points and growth of the same event side by side, newest first.
        const timeline = [
          ...(points.data?.data ?? []).map((e) => ({ ...e, book: 'points' as const })),
          ...(growth.data?.data ?? []).map((e) => ({ ...e, book: 'growth' as const })),
        ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.book === 'points' ? -1 : 1));
        return (
          <>
            <PageTitle
              actions={
                can('staffWrite') ? (
                  <ActionsMenu
                    label={t('dash.member.actions')}
                    items={[
                      { key: 'adjust', label: t('member.adjust'), onSelect: () => setAction('adjust') },
                      ...(can('write')
                        ? [
                            { key: 'tier', label: t('member.changeTier'), onSelect: () => setAction('tier') },
                            { key: 'trial', label: t('member.startTrial'), onSelect: () => setAction('trial') },
                          ]
                        : []),
                      { key: 'grant', label: t('member.grantCoupon'), onSelect: () => setAction('grant') },
                      ...(can('write')
                        ? [{ key: 'merge', label: t('member.merge'), danger: true, onSelect: () => setAction('merge') }]
                        : []),
                    ]}
                  />
                ) : undefined
              }
            >
              {t('member.title', { unionId: m.unionId })}
            </PageTitle>

            <Card className="mb-4" title={t('member.tier')}>
              <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
                <div className="min-w-0">
                  <p className="truncate text-lg font-semibold" data-testid="member-name">
                    {m.profile.name ?? m.unionId}
                  </p>
                  <p className="break-all text-xs text-slate-500">unionId {m.unionId}</p>
                  <p className="mt-2 flex flex-wrap items-center gap-2">
                    <Badge tone="indigo">{m.tier.name}</Badge>
                    <span className="text-sm text-slate-500">{t('member.since', { date: date(m.tier.since) })}</span>
                    {m.tier.trialUntil ? <Badge tone="amber">{t('member.trialUntil', { date: date(m.tier.trialUntil) })}</Badge> : null}
                    {m.flagged ? <Badge tone="red">{t('member.flagged')}</Badge> : null}
                  </p>
                </div>
                <div>
                  <p className="text-xs text-slate-500">{t('member.points')}</p>
                  <p className="text-3xl font-semibold" data-testid="points-balance">
                    {num(m.points.balance)}
                  </p>
                  {m.points.expiringSoon.length > 0 ? (
                    <p className="text-xs text-amber-700">
                      {t('dash.member.expiring', {
                        points: num(m.points.expiringSoon[0]!.points),
                        date: date(m.points.expiringSoon[0]!.expiresAt),
                      })}
                    </p>
                  ) : (
                    <p className="text-xs text-slate-500">{t('member.noExpiring')}</p>
                  )}
                  <p className="mt-2 text-xs text-slate-500">{t('member.plan')}</p>
                  <p className="text-sm">{m.plan ? `${m.plan.name} · ${date(m.plan.until)}` : t('member.noPlan')}</p>
                </div>
                <div>
                  <p className="mb-1 text-sm text-slate-700" id="growth-label">
                    {m.growth.nextTier
                      ? t('member.growthProgress', { tier: m.growth.nextTier.name, missing: num(m.growth.nextTier.missing) })
                      : t('member.topTier')}
                  </p>
                  <div
                    role="progressbar"
                    aria-labelledby="growth-label"
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={pct}
                    className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
                  >
                    <div className="h-full bg-indigo-600" style={{ width: `${pct}%` }} />
                  </div>
                  <p className="mt-1 text-xs text-slate-500">
                    {t('members.growth')}: {num(m.growth.value)}
                  </p>
                </div>
              </div>
            </Card>

            <Tabs<Tab>
              label={t('dash.member.sections')}
              value={tab}
              onChange={setTab}
              tabs={[
                { key: 'activity', label: t('dash.member.activity') },
                { key: 'benefits', label: t('catalog.entitlements') },
                { key: 'tasks', label: t('member.tasks') },
                { key: 'coupons', label: t('member.coupons') },
                { key: 'identities', label: t('member.identities') },
                { key: 'history', label: t('member.tierHistory') },
                { key: 'profile', label: t('member.profile') },
              ]}
            />

            {tab === 'activity' ? (
              <Card title={t('dash.member.activity')}>
                {points.isPending || growth.isPending ? (
                  <Skeleton rows={5} />
                ) : points.error ? (
                  <ErrorNote error={points.error} onRetry={() => void points.refetch()} />
                ) : timeline.length === 0 ? (
                  <EmptyState title={t('dash.member.noActivity')} body={t('dash.member.noActivityHelp')} />
                ) : (
                  <ol className="flex flex-col divide-y divide-slate-100" data-testid="timeline">
                    {timeline.map((e) => (
                      <li key={`${e.book}:${e.id}`} className="flex flex-col gap-0.5 py-2 sm:flex-row sm:items-baseline sm:gap-4">
                        <span className="shrink-0 text-xs text-slate-500 sm:w-40">{dateTime(e.at)}</span>
                        <span className="min-w-0 flex-1">
                          <span className="font-medium">{label('LedgerKind', e.kind)}</span>{' '}
                          <span className={e.delta < 0 ? 'text-red-700' : 'text-green-700'}>
                            {e.delta > 0 ? `+${num(e.delta)}` : num(e.delta)} {label('LedgerBook', e.book)}
                          </span>
                          {/* Only a manual adjustment's reason was written by a person; the system's own
                              reasons repeat the kind (in English), which the label already says. */}
                          {e.reason && e.kind === 'adjust' ? <span className="block break-words text-xs text-slate-500">{e.reason}</span> : null}
                        </span>
                        {e.book === 'points' ? (
                          <span className="shrink-0 text-xs text-slate-500">
                            {t('dash.member.balanceAfter', { balance: num(e.balanceAfter) })}
                          </span>
                        ) : null}
                      </li>
                    ))}
                  </ol>
                )}
              </Card>
            ) : null}

            {tab === 'benefits' ? <MemberEntitlements member={ref} /> : null}
            {tab === 'tasks' ? <MemberTasksCard member={ref} /> : null}

            {tab === 'coupons' ? (
              <Card title={t('member.coupons')}>
                <QueryView query={coupons}>
                  {(c) =>
                    c.data.length === 0 ? (
                      <EmptyState
                        title={t('dash.member.noCoupons')}
                        action={
                          can('staffWrite') ? <Button onClick={() => setAction('grant')}>{t('member.grantCoupon')}</Button> : undefined
                        }
                      />
                    ) : (
                      <DataList
                        rows={c.data}
                        rowKey={(x) => x.id}
                        columns={[
                          { label: t('member.template'), cell: (x) => x.template.name },
                          { label: t('common.code'), cell: (x) => <span className="font-mono">{x.code}</span> },
                          { label: t('common.status'), cell: (x) => label('CouponStatus', x.status) },
                          { label: t('member.expires'), cell: (x) => date(x.expiresAt) },
                        ]}
                      />
                    )
                  }
                </QueryView>
              </Card>
            ) : null}

            {tab === 'identities' ? (
              <Card title={t('member.identities')}>
                {m.identities.length === 0 ? (
                  <EmptyState title={t('dash.member.noIdentities')} body={t('dash.member.noIdentitiesHelp')} />
                ) : (
                  <DataList
                    rows={m.identities}
                    rowKey={(i) => `${i.storeId}:${i.openId}`}
                    columns={[
                      { label: t('member.store'), cell: (i) => storeName(i.storeId) },
                      { label: t('member.openId'), cell: (i) => <span className="break-all font-mono">{i.openId}</span> },
                    ]}
                  />
                )}
              </Card>
            ) : null}

            {tab === 'history' ? (
              <Card title={t('member.tierHistory')}>
                <QueryView query={history}>
                  {(h) =>
                    h.data.length === 0 ? (
                      <EmptyState title={t('common.none')} />
                    ) : (
                      <DataList
                        rows={[...h.data].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))}
                        rowKey={(c) => c.id}
                        columns={[
                          { label: t('member.when'), cell: (c) => dateTime(c.at) },
                          { label: t('tiers.before'), cell: (c) => tierName(c.from) },
                          { label: t('tiers.after'), cell: (c) => tierName(c.to) },
                          { label: t('member.reason'), cell: (c) => tierReason(c.reason) },
                        ]}
                      />
                    )
                  }
                </QueryView>
              </Card>
            ) : null}

            {tab === 'profile' ? (
              <Card title={t('member.profile')}>
                <dl className="grid grid-cols-[minmax(0,1fr)_minmax(0,2fr)] gap-1 text-sm">
                  <Row k={t('common.name')} v={m.profile.name ?? '—'} />
                  <Row k={t('member.phone')} v={m.profile.phone ?? '—'} />
                  <Row k={t('member.email')} v={m.profile.email ?? '—'} />
                  <Row k={t('member.birthday')} v={date(m.profile.birthday)} />
                  <Row k={t('members.joined')} v={dateTime(m.createdAt)} />
                </dl>
              </Card>
            ) : null}

            <FormDialog
              open={action === 'adjust'}
              title={t('member.adjust')}
              submitLabel={t('member.adjust')}
              onClose={() => setAction(null)}
              onSubmit={async (d) => {
                await adjust.mutateAsync({ delta: Number(d.get('delta')), reason: String(d.get('reason')).trim() });
              }}
            >
              <Field label={t('member.delta')} name="delta" type="number" step={1} required />
              <Field label={t('member.reason')} name="reason" required maxLength={255} />
            </FormDialog>

            <FormDialog
              open={action === 'tier'}
              title={t('member.changeTier')}
              submitLabel={t('member.changeTier')}
              onClose={() => setAction(null)}
              onSubmit={async (d) => {
                await changeTier.mutateAsync({ tierCode: String(d.get('tierCode')), reason: String(d.get('reason')).trim() });
              }}
            >
              <Select label={t('member.newTier')} name="tierCode" defaultValue={m.tier.code} key={m.tier.code}>
                {ladder.map((x) => (
                  <option key={x.code} value={x.code}>
                    {x.name}
                  </option>
                ))}
              </Select>
              <Field label={t('member.reason')} name="reason" required maxLength={255} />
            </FormDialog>

            <FormDialog
              open={action === 'trial'}
              title={t('member.startTrial')}
              submitLabel={t('member.startTrial')}
              onClose={() => setAction(null)}
              onSubmit={async (d) => {
                const tierCode = String(d.get('tierCode') ?? '');
                const days = String(d.get('days') ?? '').trim();
                await trial.mutateAsync({ ...(tierCode ? { tierCode } : {}), ...(days ? { days: Number(days) } : {}) });
              }}
            >
              <Select label={t('member.trialTier')} name="tierCode" defaultValue="">
                <option value="">{t('member.trialDefaultTier')}</option>
                {ladder
                  .filter((x) => x.rank > (current?.rank ?? Number.MAX_SAFE_INTEGER))
                  .map((x) => (
                    <option key={x.code} value={x.code}>
                      {x.name}
                    </option>
                  ))}
              </Select>
              <Field label={t('member.trialDays')} name="days" type="number" min={1} max={90} step={1} hint={t('member.trialDaysHint')} />
            </FormDialog>

            <FormDialog
              open={action === 'grant'}
              title={t('member.grantCoupon')}
              submitLabel={t('member.grant')}
              onClose={() => setAction(null)}
              onSubmit={async (d) => {
                await grant.mutateAsync(String(d.get('templateCode')));
              }}
            >
              <QueryView query={templates} rows={2}>
                {(l) =>
                  l.data.length === 0 ? (
                    <p className="text-sm text-slate-500">{t('member.noTemplates')}</p>
                  ) : (
                    <Select label={t('member.template')} name="templateCode" required>
                      {l.data.map((x) => (
                        <option key={x.code} value={x.code}>
                          {x.name} ({x.code})
                        </option>
                      ))}
                    </Select>
                  )
                }
              </QueryView>
            </FormDialog>

            <FormDialog
              open={action === 'merge'}
              title={t('member.merge')}
              submitLabel={t('member.mergeSubmit')}
              danger
              onClose={() => setAction(null)}
              onSubmit={async (d) => {
                setMergeFrom(String(d.get('fromUnionId')).trim());
              }}
            >
              <p className="text-sm text-slate-600">{t('member.mergeHelp', { into: m.unionId })}</p>
              <Field label={t('member.mergeFrom')} name="fromUnionId" required maxLength={128} />
            </FormDialog>
            <ConfirmDialog
              open={mergeFrom !== null}
              title={t('member.mergeConfirmTitle', { from: mergeFrom ?? '', into: m.unionId })}
              confirmLabel={t('member.mergeSubmit')}
              onClose={() => setMergeFrom(null)}
              onConfirm={async () => {
                await merge.mutateAsync(mergeFrom!);
                setMergeFrom(null);
              }}
            >
              {t('member.mergeConfirmBody', { from: mergeFrom ?? '', into: m.unionId })}
            </ConfirmDialog>
          </>
        );
      }}
    </QueryView>
  );
}

function Row({ k, v }: { k: string; v: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{k}</dt>
      <dd className="break-words">{v}</dd>
    </>
  );
}
