'use client';
import Link from 'next/link';
import { Bar, BarChart, CartesianGrid, Cell, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis, Legend } from 'recharts';
import { useApp, useLoad } from '@/components/providers';
import { Async, Card, PageTitle } from '@/components/ui';
import { unwrap } from '@/lib/api';

const COLORS = ['#b45309', '#64748b', '#ca8a04', '#4f46e5', '#0891b2', '#db2777', '#16a34a'];

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <p className="text-xs uppercase text-slate-500">{label}</p>
      <p className="mt-1 text-xl font-semibold">{value}</p>
    </div>
  );
}

export default function OverviewPage() {
  const { t, api, num, money } = useApp();
  const summary = useLoad(() => unwrap(api.GET('/v1/analytics/summary', { params: { query: {} } })), []);
  return (
    <>
      <PageTitle>{t('overview.title')}</PageTitle>
      <Async state={summary}>
        {(s) => (
          <div className="flex flex-col gap-6">
            <p className="text-sm text-slate-500">{t('overview.range', { from: s.from, to: s.to })}</p>
            {s.members === 0 ? (
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
              <Stat label={t('overview.members')} value={num(s.members)} />
              <Stat label={t('overview.newMembers')} value={num(s.newMembers)} />
              <Stat label={t('overview.activeMembers')} value={num(s.activeMembers)} />
              <Stat label={t('overview.outstanding')} value={num(s.pointsOutstanding)} />
              <Stat label={t('overview.liability')} value={money(s.liabilityCents)} />
              <Stat label={t('overview.issued')} value={num(s.pointsIssued)} />
              <Stat label={t('overview.redeemed')} value={num(s.pointsRedeemed)} />
              <Stat label={t('overview.expired')} value={num(s.pointsExpired)} />
              <Stat label={t('overview.upgrades')} value={num(s.tierMovement.upgrades)} />
              <Stat label={t('overview.downgrades')} value={num(s.tierMovement.downgrades)} />
            </div>
            <div className="grid gap-4 lg:grid-cols-2">
              <Card title={t('overview.newPerDay')}>
                {s.newMembers === 0 ? (
                  <p className="py-8 text-center text-sm text-slate-500">{t('overview.empty.chart')}</p>
                ) : (
                  <div className="h-64" role="img" aria-label={t('overview.newPerDay')}>
                    <ResponsiveContainer width="100%" height="100%">
                      <BarChart data={s.newMembersByDay}>
                        <CartesianGrid strokeDasharray="3 3" vertical={false} />
                        <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} fontSize={11} />
                        <YAxis allowDecimals={false} fontSize={11} width={32} />
                        <Tooltip />
                        <Bar isAnimationActive={false} dataKey="count" name={t('overview.newMembers')} fill="#4f46e5" />
                      </BarChart>
                    </ResponsiveContainer>
                  </div>
                )}
              </Card>
              <Card title={t('overview.tierDistribution')}>
                {s.members === 0 ? (
                  <p className="py-8 text-center text-sm text-slate-500">{t('overview.empty.chart')}</p>
                ) : (
                  <div className="h-64" role="img" aria-label={t('overview.tierDistribution')}>
                    <ResponsiveContainer width="100%" height="100%">
                      <PieChart>
                        <Pie isAnimationActive={false} data={s.tierDistribution} dataKey="members" nameKey="name" outerRadius={90} label>
                          {s.tierDistribution.map((d, i) => (
                            <Cell key={d.code} fill={COLORS[i % COLORS.length]} />
                          ))}
                        </Pie>
                        <Tooltip />
                        <Legend />
                      </PieChart>
                    </ResponsiveContainer>
                  </div>
                )}
              </Card>
              <Card title={t('overview.benefitUsage')}>
                {s.benefitUsage.length === 0 ? (
                  <p className="py-8 text-center text-sm text-slate-500">{t('overview.empty.chart')}</p>
                ) : (
                  <div className="h-64">
                    <ResponsiveContainer width="100%" height="100%">
                      <BarChart data={s.benefitUsage}>
                        <XAxis dataKey="kind" fontSize={11} />
                        <YAxis allowDecimals={false} fontSize={11} width={32} />
                        <Tooltip />
                        <Bar isAnimationActive={false} dataKey="orders" fill="#0891b2" />
                      </BarChart>
                    </ResponsiveContainer>
                  </div>
                )}
              </Card>
              <Card title={t('overview.rfm')}>
                {s.rfmSegments.length === 0 ? (
                  <p className="py-8 text-center text-sm text-slate-500">{t('overview.empty.chart')}</p>
                ) : (
                  <div className="h-64">
                    <ResponsiveContainer width="100%" height="100%">
                      <BarChart data={s.rfmSegments} layout="vertical">
                        <XAxis type="number" allowDecimals={false} fontSize={11} />
                        <YAxis type="category" dataKey="segment" fontSize={11} width={110} />
                        <Tooltip />
                        <Bar isAnimationActive={false} dataKey="members" fill="#16a34a" />
                      </BarChart>
                    </ResponsiveContainer>
                  </div>
                )}
                <p className="mt-2 text-xs text-slate-500">{t('overview.rfmAsOf', { date: s.rfmAsOf })}</p>
              </Card>
              <Card title={t('overview.arpu')}>
                <ul className="text-sm">
                  {s.tierDistribution.map((d) => (
                    <li key={d.code} className="flex justify-between border-b border-slate-100 py-1">
                      <span>{d.name}</span>
                      <span>{money(s.arpuByTierCents[d.code] ?? 0)}</span>
                    </li>
                  ))}
                </ul>
              </Card>
            </div>
          </div>
        )}
      </Async>
    </>
  );
}
