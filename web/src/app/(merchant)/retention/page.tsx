'use client';
import Link from 'next/link';
import { useState } from 'react';
import { unwrap, type Schemas } from '@/lib/api';
import { DateField } from '@/components/date-field';
import { useApp, useCan } from '@/components/providers';
import { Button, Card, ConfirmDialog, ErrorNote, PageTitle } from '@/components/ui';
import { DataList, EmptyState, ProgressBar, QueryView } from '@/components/data-ui';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';

type Preview = Schemas['RetentionPreview'];
type Run = Schemas['RetentionRun'];
const ACTIVE = new Set(['queued', 'running']);
/** How often a running run is read again. */
const POLL_MS = 1000;

/** Today in the tenant's time zone, as YYYY-MM-DD. */
function localToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** A run's progress: polled until it ends; the total is the preview of its period. */
function RunProgress({ run }: { run: Run }) {
  const { api, label } = useApp();
  const live = useApiQuery(
    keys.retentionRun(run.id),
    () => unwrap(api.GET('/v1/retention/runs/{id}', { params: { path: { id: run.id } } })),
    {
      initialData: run,
      refetchInterval: (q) => (q.state.data && !ACTIVE.has(q.state.data.status) ? false : POLL_MS),
    },
  );
  const total = useApiQuery(
    ['retention', 'total', run.periodEnd],
    () => unwrap(api.POST('/v1/retention/preview', { body: { periodEnd: run.periodEnd } })),
    {
      staleTime: Infinity,
    },
  );
  const r = live.data ?? run;
  const max = Math.max(total.data?.evaluated ?? 0, r.evaluated);
  return (
    <div className="min-w-[8rem]" data-testid="run-progress">
      <ProgressBar value={r.evaluated} max={max} label={label('RetentionRunStatus', r.status)} />
    </div>
  );
}

export default function RetentionPage() {
  const { t, api, num, money, date, dateTime, label, tenant } = useApp();
  // Previewing writes nothing (every role); starting a run is for owners and admins.
  const canWrite = useCan()('write');
  const [periodEnd, setPeriodEnd] = useState('');
  const [confirming, setConfirming] = useState(false);
  const runs = useApiQuery(keys.retentionRuns(), () => unwrap(api.GET('/v1/retention/runs', { params: { query: { limit: 50 } } })), {
    // While a run is queued or running, the list follows it too (its counts and status).
    refetchInterval: (q) => (q.state.data?.data.some((r) => ACTIVE.has(r.status)) ? POLL_MS : false),
  });
  const tiers = useApiQuery(keys.tiers(), () => unwrap(api.GET('/v1/tiers')));
  const tierName = (code: string) => tiers.data?.data.find((x) => x.code === code)?.name ?? code;
  const preview = useApiMutation({
    run: (body: { periodEnd?: string }) => unwrap(api.POST('/v1/retention/preview', { body })) as Promise<Preview>,
  });
  const start = useApiMutation({
    run: (end: string) => unwrap(api.POST('/v1/retention/runs', { body: { periodEnd: end } })),
    invalidate: () => [keys.retentionRuns()],
    success: () => t('dash.retention.started'),
  });
  const p = preview.data;
  const notOver = p ? p.periodEnd >= localToday(tenant.timezone) : false;
  const wouldDrop = p ? p.wouldDowngrade.reduce((s, w) => s + w.count, 0) : 0;
  const maxDrop = p ? Math.max(1, ...p.wouldDowngrade.map((w) => w.count)) : 1;
  return (
    <>
      <PageTitle>{t('retention.title')}</PageTitle>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card title={t('retention.preview')}>
          <form
            className="flex flex-col gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              start.reset();
              preview.mutate(periodEnd ? { periodEnd } : {});
            }}
          >
            <DateField label={t('retention.periodEnd')} value={periodEnd} onChange={setPeriodEnd} hint={t('dash.retention.periodHint')} />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant="secondary" disabled={preview.isPending}>
                {t('retention.preview')}
              </Button>
              {canWrite ? (
                <Button disabled={!p || notOver || start.isPending} onClick={() => setConfirming(true)}>
                  {t('retention.run')}
                </Button>
              ) : null}
            </div>
          </form>
          {preview.error ? (
            <div className="mt-3">
              <ErrorNote error={preview.error} />
            </div>
          ) : null}
          {start.error ? (
            <div className="mt-3">
              <ErrorNote error={start.error} />
            </div>
          ) : null}
          {p ? (
            <div className="mt-4 flex flex-col gap-3 text-sm" aria-live="polite" data-testid="retention-preview">
              <p>
                {t('dash.retention.period', { from: date(p.periodStart), to: date(p.periodEnd) })}
                {notOver ? (
                  <span role="note" className="mt-1 block rounded-md bg-amber-50 px-2 py-1 text-amber-800">
                    {t('dash.retention.notOver', { date: date(p.periodEnd) })}
                  </span>
                ) : null}
              </p>
              <p className="font-medium">
                {t('dash.retention.summary', { evaluated: num(p.evaluated), atRisk: num(p.atRisk), protected: num(p.protected) })}
              </p>
              {p.wouldDowngrade.length === 0 ? (
                <p className="text-slate-600">{t('dash.retention.nobody')}</p>
              ) : (
                <ul className="flex flex-col gap-2" aria-label={t('dash.retention.perTier')}>
                  {p.wouldDowngrade.map((w) => (
                    <li key={w.code}>
                      <div className="flex justify-between">
                        <span>{tierName(w.code)}</span>
                        <span>{t('dash.retention.wouldDrop', { n: num(w.count) })}</span>
                      </div>
                      <div className="h-2 w-full rounded-full bg-slate-100">
                        <div className="h-full rounded-full bg-amber-500" style={{ width: `${Math.round((w.count * 100) / maxDrop)}%` }} />
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              {p.sample.length > 0 ? (
                <div>
                  <h3 className="mb-2 font-semibold">{t('retention.sample')}</h3>
                  <DataList
                    rows={p.sample}
                    rowKey={(c) => c.memberId}
                    caption={t('retention.sample')}
                    columns={[
                      {
                        label: t('members.unionId'),
                        cell: (c) => (
                          <Link className="text-indigo-700 underline" href={`/members/${encodeURIComponent(c.unionId)}`}>
                            {c.unionId}
                          </Link>
                        ),
                      },
                      { label: t('tiers.before'), cell: (c) => tierName(c.from) },
                      { label: t('tiers.after'), cell: (c) => tierName(c.to) },
                      {
                        label: t('retention.shortfall'),
                        cell: (c) =>
                          [
                            c.shortfall.spendCents !== undefined
                              ? t('dash.retention.spendShort', { amount: money(c.shortfall.spendCents) })
                              : null,
                            c.shortfall.growth !== undefined ? t('dash.retention.growthShort', { n: num(c.shortfall.growth) }) : null,
                          ]
                            .filter(Boolean)
                            .join(' · '),
                      },
                    ]}
                  />
                </div>
              ) : null}
            </div>
          ) : null}
        </Card>
        <Card title={t('retention.runs')}>
          <QueryView query={runs}>
            {(r) =>
              r.data.length === 0 ? (
                <EmptyState title={t('dash.retention.noRuns')} body={t('dash.retention.noRunsHelp')} />
              ) : (
                <DataList
                  rows={r.data}
                  rowKey={(x) => x.id}
                  columns={[
                    { label: t('dash.retention.periodCol'), cell: (x) => `${date(x.periodStart)} – ${date(x.periodEnd)}` },
                    {
                      label: t('common.status'),
                      cell: (x) => (ACTIVE.has(x.status) ? <RunProgress run={x} /> : label('RetentionRunStatus', x.status)),
                    },
                    { label: t('retention.evaluated'), cell: (x) => num(x.evaluated) },
                    { label: t('retention.downgraded'), cell: (x) => num(x.downgraded) },
                    { label: t('retention.finished'), cell: (x) => dateTime(x.finishedAt ?? x.startedAt) },
                  ]}
                />
              )
            }
          </QueryView>
        </Card>
      </div>
      <ConfirmDialog
        open={canWrite && confirming && !!p}
        title={t('dash.retention.confirmTitle', { from: p ? date(p.periodStart) : '', to: p ? date(p.periodEnd) : '' })}
        confirmLabel={t('retention.run')}
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await start.mutateAsync(p!.periodEnd);
          setConfirming(false);
        }}
      >
        {t('dash.retention.confirmBody', { n: num(wouldDrop) })}
      </ConfirmDialog>
    </>
  );
}
