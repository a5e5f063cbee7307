'use client';
import { use, useRef, useState } from 'react';
import { useApp, useLoad } from '@/components/providers';
import { Async, Badge, Button, Card, ConfirmDialog, ErrorNote, Field, PageTitle, Select, SubmitForm, Table, Td } from '@/components/ui';
import { unwrap } from '@/lib/api';
import { MemberTasksCard } from '@/components/member-tasks';
import { en, type MessageKey } from '@/i18n/en';

/** A random write reference (getRandomValues works outside secure contexts too, unlike randomUUID). */
const newReference = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export default function MemberPage({ params }: { params: Promise<{ member: string }> }) {
  const ref = decodeURIComponent(use(params).member);
  const { t, api, num, date, dateTime } = useApp();
  // Ledger kinds and tier-change reasons are stored as keys; show them in words (an unknown
  // key, say from a newer API, is shown as it is).
  const kindLabel = (kind: string) => (`ledger.kind.${kind}` in en ? t(`ledger.kind.${kind}` as MessageKey) : kind);
  const tierReason = (reason: string) => {
    if (reason.startsWith('manual: ')) return t('tierReason.manual', { reason: reason.slice('manual: '.length) });
    return `tierReason.${reason}` in en ? t(`tierReason.${reason}` as MessageKey) : reason;
  };
  const member = useLoad(() => unwrap(api.GET('/v1/members/{member}', { params: { path: { member: ref } } })), [ref]);
  const stores = useLoad(() => unwrap(api.GET('/v1/stores', { params: { query: { limit: 200 } } })), []);
  const tiers = useLoad(() => unwrap(api.GET('/v1/tiers')), []);
  const [ledgerKind, setLedgerKind] = useState<'points' | 'growth'>('points');
  const ledger = useLoad(
    () => unwrap(api.GET('/v1/members/{member}/ledger', { params: { path: { member: ref }, query: { kind: ledgerKind, limit: 50 } } })),
    [ref, ledgerKind],
  );
  const history = useLoad(
    () => unwrap(api.GET('/v1/members/{member}/tier-history', { params: { path: { member: ref }, query: { limit: 50 } } })),
    [ref],
  );
  const coupons = useLoad(() => unwrap(api.GET('/v1/members/{member}/coupons', { params: { path: { member: ref } } })), [ref]);
  const templates = useLoad(() => unwrap(api.GET('/v1/coupon-templates', { params: { query: { limit: 200 } } })), []);
  const [adjustError, setAdjustError] = useState<Error | null>(null);
  // One reference per intended write, kept until it succeeds: a resubmit after a lost response
  // replays the first result instead of adjusting or granting twice.
  const adjustReference = useRef<string | null>(null);
  const grantReference = useRef<string | null>(null);
  const [tierError, setTierError] = useState<Error | null>(null);
  const [trialError, setTrialError] = useState<Error | null>(null);
  const [grantError, setGrantError] = useState<Error | null>(null);
  const [mergeError, setMergeError] = useState<Error | null>(null);
  // One success note per form, cleared when any form is sent again.
  const [done, setDone] = useState<{ form: 'tier' | 'trial' | 'grant' | 'merge'; text: string } | null>(null);
  const [mergeFrom, setMergeFrom] = useState<string | null>(null);
  const Done = ({ form }: { form: NonNullable<typeof done>['form'] }) =>
    done?.form === form ? (
      <p role="status" className="text-sm text-green-700">
        {done.text}
      </p>
    ) : null;
  const [adjusted, setAdjusted] = useState<string | null>(null);
  const storeName = (id: string) => stores.data?.data.find((s) => s.id === id)?.name ?? id;

  return (
    <Async state={member}>
      {(m) => {
        const ladder = tiers.data?.data ?? [];
        const current = ladder.find((x) => x.code === m.tier.code);
        const next = m.growth.nextTier ? ladder.find((x) => x.code === m.growth.nextTier!.code) : undefined;
        const floor = current?.minGrowth ?? 0;
        const target = next?.minGrowth ?? m.growth.value + (m.growth.nextTier?.missing ?? 0);
        const pct = m.growth.nextTier
          ? Math.max(0, Math.min(100, Math.round(((m.growth.value - floor) * 100) / Math.max(1, target - floor))))
          : 100;
        return (
          <>
            <PageTitle>{t('member.title', { unionId: m.unionId })}</PageTitle>
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
              <Card title={t('member.tier')}>
                <p className="flex items-center gap-2">
                  <Badge tone="indigo">{m.tier.name}</Badge>
                  <span className="text-sm text-slate-500">{t('member.since', { date: date(m.tier.since) })}</span>
                  {m.tier.trialUntil ? <Badge tone="amber">{t('member.trialUntil', { date: date(m.tier.trialUntil) })}</Badge> : null}
                  {m.flagged ? <Badge tone="red">{t('member.flagged')}</Badge> : null}
                </p>
                <div className="mt-4">
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
                <h3 className="mt-4 text-sm font-semibold">{t('member.plan')}</h3>
                <p className="text-sm">{m.plan ? `${m.plan.name} · ${date(m.plan.until)}` : t('member.noPlan')}</p>
              </Card>
              <Card title={t('member.points')}>
                <p className="text-3xl font-semibold" data-testid="points-balance">
                  {num(m.points.balance)}
                </p>
                <h3 className="mt-3 text-sm font-semibold">{t('member.expiring')}</h3>
                {m.points.expiringSoon.length === 0 ? (
                  <p className="text-sm text-slate-500">{t('member.noExpiring')}</p>
                ) : (
                  <ul className="text-sm">
                    {m.points.expiringSoon.map((l) => (
                      <li key={l.expiresAt}>
                        {num(l.points)} · {date(l.expiresAt)}
                      </li>
                    ))}
                  </ul>
                )}
                <form
                  className="mt-4 flex flex-col gap-3 border-t border-slate-100 pt-4"
                  aria-label={t('member.adjust')}
                  onSubmit={async (e) => {
                    e.preventDefault();
                    const form = e.currentTarget;
                    const data = new FormData(form);
                    setAdjustError(null);
                    setAdjusted(null);
                    try {
                      const r = await unwrap(
                        api.POST('/v1/members/{member}/points/adjust', {
                          params: { path: { member: ref } },
                          body: {
                            delta: Number(data.get('delta')),
                            reason: String(data.get('reason')),
                            reference: (adjustReference.current ??= newReference()),
                          },
                        }),
                      );
                      adjustReference.current = null;
                      form.reset();
                      member.reload();
                      ledger.reload();
                      setAdjusted(t('member.adjusted', { balance: num(r.balance) }));
                    } catch (err) {
                      setAdjustError(err as Error);
                    }
                  }}
                >
                  <h3 className="text-sm font-semibold">{t('member.adjust')}</h3>
                  <Field label={t('member.delta')} name="delta" type="number" step={1} required />
                  <Field label={t('member.reason')} name="reason" required maxLength={255} />
                  {adjustError ? <ErrorNote error={adjustError} /> : null}
                  {adjusted ? (
                    <p role="status" className="text-sm text-green-700">
                      {adjusted}
                    </p>
                  ) : null}
                  <Button type="submit" className="self-start">
                    {t('member.adjust')}
                  </Button>
                </form>
              </Card>
              <Card title={t('member.identities')}>
                {m.identities.length === 0 ? (
                  <p className="text-sm text-slate-500">{t('common.none')}</p>
                ) : (
                  <Table head={[t('member.store'), t('member.openId')]}>
                    {m.identities.map((i) => (
                      <tr key={`${i.storeId}:${i.openId}`}>
                        <Td>{storeName(i.storeId)}</Td>
                        <Td>{i.openId}</Td>
                      </tr>
                    ))}
                  </Table>
                )}
              </Card>
              <Card title={t('member.profile')}>
                <dl className="grid grid-cols-2 gap-1 text-sm">
                  <dt className="text-slate-500">{t('common.name')}</dt>
                  <dd>{m.profile.name ?? '—'}</dd>
                  <dt className="text-slate-500">{t('member.phone')}</dt>
                  <dd>{m.profile.phone ?? '—'}</dd>
                  <dt className="text-slate-500">{t('member.email')}</dt>
                  <dd>{m.profile.email ?? '—'}</dd>
                  <dt className="text-slate-500">{t('member.birthday')}</dt>
                  <dd>{date(m.profile.birthday)}</dd>
                  <dt className="text-slate-500">{t('members.joined')}</dt>
                  <dd>{dateTime(m.createdAt)}</dd>
                </dl>
              </Card>
              <Card title={t('member.tierActions')} className="lg:col-span-2">
                <div className="grid grid-cols-1 gap-6 md:grid-cols-2">
                  <SubmitForm
                    label={t('member.changeTier')}
                    onError={setTierError}
                    onSubmit={async (d, form) => {
                      setDone(null);
                      const tierCode = String(d.get('tierCode'));
                      const r = await unwrap(
                        api.POST('/v1/members/{member}/tier', {
                          params: { path: { member: ref } },
                          body: { tierCode, reason: String(d.get('reason')).trim() },
                        }),
                      );
                      form.reset();
                      member.reload();
                      history.reload();
                      setDone({ form: 'tier', text: t('member.tierChanged', { tier: r.tier.name }) });
                    }}
                  >
                    <h3 className="text-sm font-semibold">{t('member.changeTier')}</h3>
                    <Select label={t('member.newTier')} name="tierCode" defaultValue={m.tier.code} key={m.tier.code}>
                      {ladder.map((x) => (
                        <option key={x.code} value={x.code}>
                          {x.name}
                        </option>
                      ))}
                    </Select>
                    <Field label={t('member.reason')} name="reason" required maxLength={255} />
                    {tierError ? <ErrorNote error={tierError} /> : null}
                    <Done form="tier" />
                    <Button type="submit" className="self-start">
                      {t('member.changeTier')}
                    </Button>
                  </SubmitForm>
                  <SubmitForm
                    label={t('member.startTrial')}
                    onError={setTrialError}
                    onSubmit={async (d, form) => {
                      setDone(null);
                      const tierCode = String(d.get('tierCode') ?? '');
                      const days = String(d.get('days') ?? '').trim();
                      const r = await unwrap(
                        api.POST('/v1/members/{member}/tier-trial', {
                          params: { path: { member: ref } },
                          body: { ...(tierCode ? { tierCode } : {}), ...(days ? { days: Number(days) } : {}) },
                        }),
                      );
                      form.reset();
                      member.reload();
                      history.reload();
                      setDone({ form: 'trial', text: t('member.trialStarted', { tier: r.tier.name, date: date(r.tier.trialUntil) }) });
                    }}
                  >
                    <h3 className="text-sm font-semibold">{t('member.startTrial')}</h3>
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
                    <Field
                      label={t('member.trialDays')}
                      name="days"
                      type="number"
                      min={1}
                      max={90}
                      step={1}
                      hint={t('member.trialDaysHint')}
                    />
                    {trialError ? <ErrorNote error={trialError} /> : null}
                    <Done form="trial" />
                    <Button type="submit" className="self-start">
                      {t('member.startTrial')}
                    </Button>
                  </SubmitForm>
                </div>
              </Card>
              <Card title={t('member.tierHistory')} className="lg:col-span-2">
                <Async state={history}>
                  {(h) =>
                    h.data.length === 0 ? (
                      <p className="text-sm text-slate-500">{t('common.none')}</p>
                    ) : (
                      <Table head={[t('member.when'), t('tiers.before'), t('tiers.after'), t('member.reason')]}>
                        {h.data.map((c) => (
                          <tr key={c.id}>
                            <Td>{dateTime(c.at)}</Td>
                            <Td>{c.from ? (ladder.find((x) => x.code === c.from)?.name ?? c.from) : '—'}</Td>
                            <Td>{ladder.find((x) => x.code === c.to)?.name ?? c.to}</Td>
                            <Td>{tierReason(c.reason)}</Td>
                          </tr>
                        ))}
                      </Table>
                    )
                  }
                </Async>
              </Card>
              <Card title={t('member.ledger')} className="lg:col-span-2">
                <div className="mb-3 max-w-xs">
                  <Select
                    label={t('member.kind')}
                    value={ledgerKind}
                    onChange={(e) => setLedgerKind(e.target.value as 'points' | 'growth')}
                  >
                    <option value="points">{t('member.points')}</option>
                    <option value="growth">{t('members.growth')}</option>
                  </Select>
                </div>
                <Async state={ledger}>
                  {(l) =>
                    l.data.length === 0 ? (
                      <p className="text-sm text-slate-500">{t('common.none')}</p>
                    ) : (
                      <Table
                        head={[t('member.when'), t('member.kind'), t('member.delta.col'), t('member.balanceAfter'), t('member.reason')]}
                      >
                        {l.data.map((e) => (
                          <tr key={e.id}>
                            {/* Event time (the order's completedAt…); entries are listed in the order they were written. */}
                            <Td>{dateTime(e.at)}</Td>
                            <Td>{kindLabel(e.kind)}</Td>
                            <Td className={e.delta < 0 ? 'text-red-700' : 'text-green-700'}>
                              {e.delta > 0 ? `+${num(e.delta)}` : num(e.delta)}
                            </Td>
                            <Td>{num(e.balanceAfter)}</Td>
                            <Td>{e.reason ?? e.reference ?? '—'}</Td>
                          </tr>
                        ))}
                      </Table>
                    )
                  }
                </Async>
              </Card>
              <Card title={t('member.coupons')} className="lg:col-span-2">
                <div className="mb-4 max-w-md">
                  <SubmitForm
                    label={t('member.grantCoupon')}
                    onError={setGrantError}
                    onSubmit={async (d) => {
                      setDone(null);
                      const c = await unwrap(
                        api.POST('/v1/members/{member}/coupons', {
                          params: { path: { member: ref } },
                          body: {
                            templateCode: String(d.get('templateCode')),
                            reference: (grantReference.current ??= newReference()),
                          },
                        }),
                      );
                      grantReference.current = null;
                      coupons.reload();
                      templates.reload();
                      setDone({ form: 'grant', text: t('member.granted', { name: c.template.name, code: c.code }) });
                    }}
                  >
                    <h3 className="text-sm font-semibold">{t('member.grantCoupon')}</h3>
                    <Async state={templates}>
                      {(l) =>
                        l.data.length === 0 ? (
                          <p className="text-sm text-slate-500">{t('member.noTemplates')}</p>
                        ) : (
                          <>
                            <Select label={t('member.template')} name="templateCode" required>
                              {l.data.map((x) => (
                                <option key={x.code} value={x.code}>
                                  {x.name} ({x.code})
                                </option>
                              ))}
                            </Select>
                            {grantError ? <ErrorNote error={grantError} /> : null}
                            <Done form="grant" />
                            <Button type="submit" className="self-start">
                              {t('member.grant')}
                            </Button>
                          </>
                        )
                      }
                    </Async>
                  </SubmitForm>
                </div>
                <Async state={coupons}>
                  {(c) =>
                    c.data.length === 0 ? (
                      <p className="text-sm text-slate-500">{t('common.none')}</p>
                    ) : (
                      <Table head={[t('common.code'), t('member.template'), t('common.status'), t('member.expires')]}>
                        {c.data.map((x) => (
                          <tr key={x.id}>
                            <Td>{x.code}</Td>
                            <Td>{x.template.name}</Td>
                            <Td>{t(`coupon.status.${x.status}`)}</Td>
                            <Td>{date(x.expiresAt)}</Td>
                          </tr>
                        ))}
                      </Table>
                    )
                  }
                </Async>
              </Card>
              <MemberTasksCard member={ref} />
              <Card title={t('member.merge')} className="lg:col-span-2">
                <div className="max-w-md">
                  <SubmitForm
                    label={t('member.merge')}
                    onError={setMergeError}
                    onSubmit={async (d) => {
                      setDone(null);
                      setMergeError(null);
                      setMergeFrom(String(d.get('fromUnionId')).trim());
                    }}
                  >
                    <p className="text-sm text-slate-600">{t('member.mergeHelp', { into: m.unionId })}</p>
                    <Field label={t('member.mergeFrom')} name="fromUnionId" required maxLength={128} />
                    {mergeError ? <ErrorNote error={mergeError} /> : null}
                    <Done form="merge" />
                    <Button type="submit" variant="danger" className="self-start">
                      {t('member.mergeSubmit')}
                    </Button>
                  </SubmitForm>
                </div>
                <ConfirmDialog
                  open={mergeFrom !== null}
                  title={t('member.mergeConfirmTitle', { from: mergeFrom ?? '', into: m.unionId })}
                  confirmLabel={t('member.mergeSubmit')}
                  onClose={() => setMergeFrom(null)}
                  onConfirm={async () => {
                    const from = mergeFrom!;
                    await unwrap(
                      api.POST('/v1/members/{member}/merge', { params: { path: { member: ref } }, body: { fromUnionId: from } }),
                    );
                    setMergeFrom(null);
                    member.reload();
                    ledger.reload();
                    history.reload();
                    coupons.reload();
                    setDone({ form: 'merge', text: t('member.merged', { from }) });
                  }}
                >
                  {t('member.mergeConfirmBody', { from: mergeFrom ?? '', into: m.unionId })}
                </ConfirmDialog>
              </Card>
            </div>
          </>
        );
      }}
    </Async>
  );
}
