'use client';
// The monthly store settlement (积分结算): per store what it issued and what was spent there,
// and the issuer × redeemer matrix in money and points, with the CSV export of the API.
import { useEffect, useState } from 'react';
import { useApp } from '@/components/providers';
import { Card, PageTitle, Select } from '@/components/ui';
import { DataList, EmptyState, QueryView } from '@/components/data-ui';
import { unwrap, type Schemas } from '@/lib/api';
import { keys, useApiQuery, useUrlFilters } from '@/lib/query';

type Settlement = Schemas['Settlement'];
type StoreRow = Settlement['stores'][number];

const MONTH = /^(19|2\d)\d{2}-(0[1-9]|1[0-2])$/;

/** The current month YYYY-MM in the tenant's time zone. */
function currentMonth(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
}

const YEARS_BACK = 10;

/**
 * The month as a year and a month select in the page's language ("2026年" / "十二月"): a native
 * month input shows the browser's language ("December 2026") on a zh-CN page. Years from ten back
 * to this one (and the chosen one, from a link); months after this one are not offered this year.
 */
function MonthPicker({ month, thisMonth, onChange }: { month: string; thisMonth: string; onChange(month: string): void }) {
  const { t, locale } = useApp();
  // The picker keeps the month being chosen itself: the URL (and so `month`) follows a moment
  // later, and a month picked right after a year must combine with that year, not the old one.
  const [chosen, setChosen] = useState(month);
  useEffect(() => setChosen(month), [month]);
  const choose = (m: string) => {
    setChosen(m);
    onChange(m);
  };
  const [year, mm] = [Number(chosen.slice(0, 4)), chosen.slice(5, 7)];
  const nowYear = Number(thisMonth.slice(0, 4));
  const years = [...new Set([...Array.from({ length: YEARS_BACK + 1 }, (_, i) => nowYear - i), year])].sort((a, b) => b - a);
  const monthName = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  const months = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
  const lastMonth = (y: number) => (y === nowYear ? thisMonth.slice(5, 7) : '12');
  return (
    <div className="flex items-end gap-2">
      <Select
        label={t('settlement.year')}
        value={String(year)}
        onChange={(e) => {
          const y = Number(e.target.value);
          choose(`${y}-${mm > lastMonth(y) ? lastMonth(y) : mm}`);
        }}
      >
        {years.map((y) => (
          <option key={y} value={y}>
            {locale === 'zh-CN' ? `${y}年` : y}
          </option>
        ))}
      </Select>
      <Select label={t('settlement.month')} value={mm} onChange={(e) => choose(`${year}-${e.target.value}`)}>
        {months
          .filter((m) => m <= lastMonth(year) || m === mm)
          .map((m) => (
            <option key={m} value={m}>
              {monthName.format(new Date(Date.UTC(2000, Number(m) - 1, 1)))}
            </option>
          ))}
      </Select>
    </div>
  );
}

export default function SettlementPage() {
  const { t, api, money, num, tenant } = useApp();
  const filters = useUrlFilters(['month'] as const);
  const month = MONTH.test(filters.values.month) ? filters.values.month : currentMonth(tenant.timezone);
  const query = useApiQuery(keys.analytics('settlement', { month }), async (): Promise<Settlement> => {
    // The operation may also answer text/csv (format=csv); without it the body is the JSON statement.
    const body = await unwrap(api.GET('/v1/analytics/settlement', { params: { query: { month } } }));
    if (typeof body === 'string') throw new Error('expected the JSON statement');
    return body;
  });
  const csvHref = `/v1/analytics/settlement?month=${month}&format=csv`;
  return (
    <>
      <PageTitle
        actions={
          <div className="flex flex-wrap items-end gap-3">
            <MonthPicker month={month} thisMonth={currentMonth(tenant.timezone)} onChange={(m) => filters.set({ month: m })} />
            <a
              href={csvHref}
              download={`settlement-${month}.csv`}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-400"
            >
              {t('settlement.download')}
            </a>
          </div>
        }
      >
        {t('settlement.title')}
      </PageTitle>
      <p className="mb-4 max-w-3xl text-sm text-slate-600">{t('settlement.help')}</p>
      <QueryView query={query} rows={6}>
        {(s) => <SettlementView s={s} money={money} num={num} />}
      </QueryView>
    </>
  );
}

function SettlementView({ s, money, num }: { s: Settlement; money: (c: number) => string; num: (n: number) => string }) {
  const { t } = useApp();
  const storeName = (r: Pick<StoreRow, 'storeId' | 'code' | 'name'>) => (r.storeId === null ? t('settlement.noStore') : (r.name ?? r.code ?? ''));
  const byId = new Map(s.stores.map((r) => [r.storeId, r]));
  // The matrix lists the stores that issued or received anything, in the per-store order.
  const involved = s.stores.filter((r) => s.matrix.some((c) => c.issuedBy === r.storeId || c.redeemedAt === r.storeId));
  const cell = new Map(s.matrix.map((c) => [`${c.issuedBy}>${c.redeemedAt}`, c]));
  return (
    <div className="flex flex-col gap-4">
      <p className="text-xs text-slate-500">{t('settlement.rate', { points: num(s.pointsPerUnit), money: money(100) })}</p>
      {s.unattributedPoints > 0 ? (
        <p role="note" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {t('settlement.unattributed', { n: num(s.unattributedPoints) })}
        </p>
      ) : null}
      <Card title={t('settlement.stores')}>
        <DataList
          rows={s.stores}
          rowKey={(r) => r.storeId ?? 'none'}
          caption={t('settlement.stores')}
          rowTestId={(r) => `settlement-store-${r.code ?? 'none'}`}
          columns={[
            {
              label: t('settlement.store'),
              cell: (r) => (
                <>
                  {storeName(r)}
                  {r.code ? <span className="block text-xs text-slate-500">{r.code}</span> : null}
                </>
              ),
            },
            { label: t('settlement.issued'), cell: (r) => num(r.issuedPoints) },
            { label: t('settlement.redeemed'), cell: (r) => num(r.redeemedPoints) },
            { label: t('settlement.payable'), cell: (r) => money(r.payableCents) },
            { label: t('settlement.receivable'), cell: (r) => money(r.receivableCents) },
            {
              label: t('settlement.net'),
              cell: (r) => <span className={r.netCents < 0 ? 'text-red-700' : r.netCents > 0 ? 'text-green-700' : ''}>{money(r.netCents)}</span>,
            },
          ]}
        />
      </Card>
      <Card title={t('settlement.matrix')}>
        {s.matrix.length === 0 ? (
          <EmptyState title={t('settlement.emptyTitle')} body={t('settlement.emptyHelp')} />
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-600">{t('settlement.matrixHelp')}</p>
            {/* The matrix may be wider than a phone: it scrolls inside its card, never the page. */}
            <div className="max-w-full overflow-x-auto" data-testid="settlement-matrix">
              <table className="text-left text-sm">
                <caption className="sr-only">{t('settlement.matrix')}</caption>
                <thead>
                  <tr>
                    <th scope="col" className="whitespace-nowrap px-2 py-2 text-xs font-medium text-slate-500">
                      {t('settlement.corner')}
                    </th>
                    {involved.map((r) => (
                      <th key={r.storeId ?? 'none'} scope="col" className="whitespace-nowrap px-2 py-2 text-xs font-medium text-slate-700">
                        {storeName(r)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {involved.map((from) => (
                    <tr key={from.storeId ?? 'none'}>
                      <th scope="row" className="whitespace-nowrap px-2 py-2 text-xs font-medium text-slate-700">
                        {storeName(byId.get(from.storeId) ?? from)}
                      </th>
                      {involved.map((to) => {
                        const c = cell.get(`${from.storeId}>${to.storeId}`);
                        const same = from.storeId === to.storeId;
                        return (
                          <td
                            key={to.storeId ?? 'none'}
                            data-testid={`cell-${from.code ?? 'none'}-${to.code ?? 'none'}`}
                            className={`whitespace-nowrap px-2 py-2 align-top ${same ? 'bg-slate-50 text-slate-500' : ''}`}
                          >
                            {c ? (
                              <>
                                <span className="block font-medium">{money(c.valueCents)}</span>
                                <span className="block text-xs text-slate-500">{t('settlement.points', { n: num(c.points) })}</span>
                              </>
                            ) : (
                              <span className="text-slate-300">—</span>
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Card>
    </div>
  );
}
