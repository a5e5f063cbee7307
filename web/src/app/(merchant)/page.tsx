'use client';
import Link from 'next/link';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DateField } from '@/components/date-field';
import { useApp, useCan } from '@/components/providers';
import { Button, Card, PageTitle } from '@/components/ui';
import { QueryView, Skeleton } from '@/components/data-ui';
import { unwrap } from '@/lib/api';
import { formatBps } from '@/lib/format';
import { keys, useApiQuery, useUrlFilters } from '@/lib/query';

/** Tiers in ladder order (lowest first), whatever order a list came in. */
const byRank = <T extends { rank: number }>(rows: T[]): T[] => [...rows].sort((a, b) => a.rank - b.rank);
/** A tier's share of everyone on the ladder now, in bps. */
const share = (n: number, all: { members: number }[]) => {
  const total = all.reduce((sum, d) => sum + d.members, 0);
  return total ? Math.round((n * 10000) / total) : 0;
};
const COLORS = ['#b45309', '#64748b', '#ca8a04', '#4f46e5', '#0891b2', '#db2777', '#16a34a'];
const PRESETS = [7, 30, 90, 365] as const;
const RANGE = ['from', 'to'] as const;

const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const span = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
const today = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** A KPI with its change against the previous period of the same length. */
function Stat({ label, value, now, before, testId }: { label: string; value: string; now?: number; before?: number; testId?: string }) {
  const { t, locale } = useApp();
  let change: { text: string; tone: string } | null = null;
  if (now !== undefined && before !== undefined) {
    if (before === 0) change = now === 0 ? null : { text: t('dash.overview.new'), tone: 'text-slate-500' };
    else {
      const bps = Math.round(((now - before) * 10000) / Math.abs(before));
      change = { text: `${bps > 0 ? '+' : ''}${formatBps(bps, locale)}`, tone: bps >= 0 ? 'text-green-700' : 'text-red-700' };
    }
  }
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <p className="truncate text-xs text-slate-500">{label}</p>
      <p className="mt-1 truncate text-xl font-semibold">{value}</p>
      {change ? (
        <p className={`text-xs ${change.tone}`} title={t('dash.overview.vsPrevious')}>
          {change.text} <span className="text-slate-400">{t('dash.overview.vsPrevious')}</span>
        </p>
      ) : null}
    </div>
  );
}

function ChartBox({ label, children }: { label: string; children: React.ReactElement }) {
  return (
    <div className="h-64 w-full min-w-0" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}

export default function OverviewPage() {
  const { t, api, num, money, date, label, locale, tenant } = useApp();
  // The setup steps (tiers, API keys) are for those who may do them.
  const canWrite = useCan()('write');
  const { values, set } = useUrlFilters(RANGE);
  const range: Record<string, string> = values.from && values.to ? { from: values.from, to: values.to } : {};
  const [draft, setDraft] = useState<{ from: string; to: string } | null>(null);
  const summary = useApiQuery(keys.analytics('summary', range), () => unwrap(api.GET('/v1/analytics/summary', { params: { query: range } })));
  const trends = useApiQuery(keys.analytics('trends', range), () => unwrap(api.GET('/v1/analytics/trends', { params: { query: range } })));
  const s = summary.data;
  const prevRange = s ? { from: shift(s.from, -span(s.from, s.to)), to: shift(s.from, -1) } : null;
  const previous = useApiQuery(keys.analytics('summary', prevRange ?? {}), () => unwrap(api.GET('/v1/analytics/summary', { params: { query: prevRange! } })), {
    enabled: prevRange !== null,
  });
  const p = previous.data;
  const end = today(tenant.timezone);
  const short = (d: string) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'numeric', day: 'numeric' }).format(new Date(`${d}T00:00:00Z`));
  return (
    <>
      <PageTitle>{t('overview.title')}</PageTitle>
      <Card className="mb-4">
        <div className="flex flex-col gap-3 lg:flex-row lg:items-end lg:justify-between">
          <div role="group" aria-label={t('dash.overview.range')} className="flex flex-wrap gap-2">
            {PRESETS.map((n) => {
              const from = shift(end, -(n - 1));
              const on = s?.from === from && s?.to === end;
              return (
                <Button key={n} variant={on ? 'primary' : 'secondary'} aria-pressed={on} onClick={() => set({ from, to: end })}>
                  {t('dash.overview.lastDays', { n })}
                </Button>
              );
            })}
          </div>
          <form
            className="grid grid-cols-2 gap-2 sm:flex sm:items-end"
            onSubmit={(e) => {
              e.preventDefault();
              if (draft?.from && draft.to) set(draft);
            }}
          >
            <DateField label={t('dash.overview.from')} value={draft?.from ?? s?.from ?? ''} max={draft?.to ?? s?.to} onChange={(v) => setDraft({ from: v, to: draft?.to ?? s?.to ?? '' })} />
            <DateField label={t('dash.overview.to')} value={draft?.to ?? s?.to ?? ''} min={draft?.from ?? s?.from} onChange={(v) => setDraft({ from: draft?.from ?? s?.from ?? '', to: v })} />
            <Button type="submit" variant="secondary" className="col-span-2">
              {t('dash.overview.apply')}
            </Button>
          </form>
        </div>
      </Card>
      <QueryView query={summary} rows={8}>
        {(s) => (
          <div className="flex flex-col gap-6">
            <p className="text-sm text-slate-500" data-testid="overview-range">
              {t('dash.overview.showing', { from: date(s.from), to: date(s.to) })}
            </p>
            {s.members === 0 && s.newMembers === 0 && canWrite ? (
              <Card title={t('overview.empty.title')}>
                <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
                  <li>
                    <Link className="text-indigo-700 underline" href="/tiers">
                      {t('overview.empty.step1')}
                    </Link>
                  </li>
                  <li>
                    <Link className="text-indigo-700 underline" href="/api-keys">
                      {t('overview.empty.step2')}
                    </Link>
                  </li>
                  <li>{t('overview.empty.step3')}</li>
                </ol>
              </Card>
            ) : null}
            <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
              <Stat testId="kpi-members" label={t('overview.members')} value={num(s.members)} now={s.members} before={p?.members} />
              <Stat label={t('overview.newMembers')} value={num(s.newMembers)} now={s.newMembers} before={p?.newMembers} />
              <Stat label={t('overview.activeMembers')} value={num(s.activeMembers)} now={s.activeMembers} before={p?.activeMembers} />
              <Stat label={t('overview.liability')} value={money(s.liabilityCents)} />
              <Stat label={t('overview.issued')} value={num(s.pointsIssued)} now={s.pointsIssued} before={p?.pointsIssued} />
              <Stat label={t('overview.redeemed')} value={num(s.pointsRedeemed)} now={s.pointsRedeemed} before={p?.pointsRedeemed} />
              <Stat label={t('overview.upgrades')} value={num(s.tierMovement.upgrades)} now={s.tierMovement.upgrades} before={p?.tierMovement.upgrades} />
              <Stat label={t('overview.downgrades')} value={num(s.tierMovement.downgrades)} now={s.tierMovement.downgrades} before={p?.tierMovement.downgrades} />
            </div>
            <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
              {trends.isPending ? (
                <Card title={t('dash.overview.trends')}>
                  <Skeleton rows={6} />
                </Card>
              ) : trends.data ? (
                <>
                  <Card title={t('dash.overview.membersTrend')}>
                    <ChartBox label={t('dash.overview.membersTrend')}>
                      <LineChart data={trends.data.days}>
                        <CartesianGrid strokeDasharray="3 3" vertical={false} />
                        <XAxis dataKey="date" tickFormatter={short} fontSize={11} minTickGap={16} />
                        <YAxis allowDecimals={false} fontSize={11} width={40} />
                        <Tooltip labelFormatter={(d) => date(String(d))} formatter={(v) => num(Number(v))} />
                        <Legend />
                        <Line isAnimationActive={false} type="monotone" dataKey="members" name={t('overview.members')} stroke="#4f46e5" dot={false} />
                        <Line isAnimationActive={false} type="monotone" dataKey="newMembers" name={t('overview.newMembers')} stroke="#16a34a" dot={false} />
                      </LineChart>
                    </ChartBox>
                  </Card>
                  <Card title={t('dash.overview.pointsTrend')}>
                    <ChartBox label={t('dash.overview.pointsTrend')}>
                      <BarChart data={trends.data.days}>
                        <CartesianGrid strokeDasharray="3 3" vertical={false} />
                        <XAxis dataKey="date" tickFormatter={short} fontSize={11} minTickGap={16} />
                        <YAxis allowDecimals={false} fontSize={11} width={48} />
                        <Tooltip labelFormatter={(d) => date(String(d))} formatter={(v) => num(Number(v))} />
                        <Legend />
                        <Bar isAnimationActive={false} dataKey="pointsIssued" name={t('overview.issued')} fill="#4f46e5" />
                        <Bar isAnimationActive={false} dataKey="pointsRedeemed" name={t('overview.redeemed')} fill="#f59e0b" />
                      </BarChart>
                    </ChartBox>
                  </Card>
                  <Card title={t('dash.overview.liabilityTrend')}>
                    <ChartBox label={t('dash.overview.liabilityTrend')}>
                      <LineChart data={trends.data.days}>
                        <CartesianGrid strokeDasharray="3 3" vertical={false} />
                        <XAxis dataKey="date" tickFormatter={short} fontSize={11} minTickGap={16} />
                        <YAxis fontSize={11} width={64} tickFormatter={(c: number) => money(Math.round(c / 100) * 100)} />
                        <Tooltip labelFormatter={(d) => date(String(d))} formatter={(v) => money(Number(v))} />
                        <Line isAnimationActive={false} type="monotone" dataKey="liabilityCents" name={t('overview.liability')} stroke="#db2777" dot={false} />
                      </LineChart>
                    </ChartBox>
                  </Card>
                  <Card title={t('dash.overview.movementTrend')}>
                    <ChartBox label={t('dash.overview.movementTrend')}>
                      <BarChart data={trends.data.days}>
                        <CartesianGrid strokeDasharray="3 3" vertical={false} />
                        <XAxis dataKey="date" tickFormatter={short} fontSize={11} minTickGap={16} />
                        <YAxis allowDecimals={false} fontSize={11} width={32} />
                        <Tooltip labelFormatter={(d) => date(String(d))} />
                        <Legend />
                        <Bar isAnimationActive={false} dataKey="upgrades" name={t('overview.upgrades')} fill="#16a34a" />
                        <Bar isAnimationActive={false} dataKey="downgrades" name={t('overview.downgrades')} fill="#dc2626" />
                      </BarChart>
                    </ChartBox>
                  </Card>
                </>
              ) : null}
              <Card title={t('overview.tierDistribution')}>
                {/* Members on each tier now: drawn whenever anyone is on the ladder, whatever the range. */}
                {s.tierDistribution.every((d) => d.members === 0) ? (
                  <p className="py-8 text-center text-sm text-slate-500">{t('overview.empty.chart')}</p>
                ) : (
                  <div className="grid grid-cols-1 items-center gap-4 sm:grid-cols-2">
                    <ChartBox label={t('overview.tierDistribution')}>
                      <PieChart>
                        <Pie isAnimationActive={false} data={byRank(s.tierDistribution)} dataKey="members" nameKey="name" outerRadius={80} label>
                          {byRank(s.tierDistribution).map((d, i) => (
                            <Cell key={d.code} fill={COLORS[i % COLORS.length]} />
                          ))}
                        </Pie>
                        <Tooltip />
                      </PieChart>
                    </ChartBox>
                    {/* The legend is ours, in ladder order (the chart's own sorts by its drawing). */}
                    <ol data-testid="tier-legend" aria-label={t('dash.overview.tierLegend')} className="flex flex-col gap-2 text-sm">
                      {byRank(s.tierDistribution).map((d, i) => (
                        <li key={d.code} className="flex items-center gap-2">
                          <span aria-hidden className="h-3 w-3 shrink-0 rounded-sm" style={{ background: COLORS[i % COLORS.length] }} />
                          <span className="min-w-0 flex-1 break-words">{d.name}</span>
                          <span className="tabular-nums text-slate-600">
                            {num(d.members)} · {formatBps(share(d.members, s.tierDistribution), locale)}
                          </span>
                        </li>
                      ))}
                    </ol>
                  </div>
                )}
              </Card>
              <Card title={t('dash.overview.perTier')}>
                <div className="overflow-x-auto">
                  <table className="w-full text-left text-sm">
                    <thead className="text-xs text-slate-500">
                      <tr>
                        <th className="py-1 font-medium">{t('members.tier')}</th>
                        <th className="py-1 font-medium">{t('overview.members')}</th>
                        <th className="py-1 font-medium">{t('dash.overview.repeatRate')}</th>
                        <th className="py-1 font-medium">{t('overview.arpu')}</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {byRank(s.tierDistribution).map((d) => (
                        <tr key={d.code} data-testid={`tier-row-${d.code}`}>
                          <td className="py-1">{d.name}</td>
                          <td className="py-1">{num(d.members)}</td>
                          <td className="py-1">{formatBps(s.repeatPurchaseRateByTierBps[d.code] ?? 0, locale)}</td>
                          <td className="py-1">{money(s.arpuByTierCents[d.code] ?? 0)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </Card>
              <Card title={t('overview.benefitUsage')}>
                {s.benefitUsage.length === 0 ? (
                  <p className="py-8 text-center text-sm text-slate-500">{t('overview.empty.chart')}</p>
                ) : (
                  <ul className="flex flex-col gap-2 text-sm">
                    {s.benefitUsage.map((b) => (
                      <li key={b.kind}>
                        <div className="flex justify-between gap-2">
                          <span>{label('BenefitKind', b.kind)}</span>
                          <span className="text-slate-600">
                            {t('dash.overview.benefitLine', { orders: num(b.orders), rate: formatBps(b.rateBps, locale), amount: money(b.amountCents) })}
                          </span>
                        </div>
                        <div className="h-2 rounded-full bg-slate-100">
                          <div className="h-full rounded-full bg-cyan-600" style={{ width: `${Math.min(100, b.rateBps / 100)}%` }} />
                        </div>
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
              <Card title={t('overview.rfm')}>
                {s.rfmSegments.every((x) => x.members === 0) ? (
                  <p className="py-8 text-center text-sm text-slate-500">{t('overview.empty.chart')}</p>
                ) : (
                  <ChartBox label={t('overview.rfm')}>
                    <BarChart data={s.rfmSegments.map((x) => ({ ...x, name: label('RfmSegment', x.segment) }))} layout="vertical">
                      <XAxis type="number" allowDecimals={false} fontSize={11} />
                      <YAxis type="category" dataKey="name" fontSize={11} width={90} />
                      <Tooltip />
                      <Bar isAnimationActive={false} dataKey="members" name={t('overview.members')} fill="#16a34a" />
                    </BarChart>
                  </ChartBox>
                )}
                <p className="mt-2 text-xs text-slate-500">{t('overview.rfmAsOf', { date: date(s.rfmAsOf) })}</p>
              </Card>
            </div>
          </div>
        )}
      </QueryView>
    </>
  );
}
