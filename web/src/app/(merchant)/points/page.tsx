'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useApp, useCan } from '@/components/providers';
import { useToast } from '@/components/toast';
import { asLoaded, keys, useApiQuery } from '@/lib/query';
import { useQueryClient } from '@tanstack/react-query';
import { Async, Card, Field, PageTitle, SaveBar } from '@/components/ui';
import { parsePercent, percentInput } from '@/lib/units';
import { unwrap, type Schemas } from '@/lib/api';

type Patch = Schemas['ProgramPatch'];

export default function PointsPage() {
  const { t, api, num, money } = useApp();
  const can = useCan();
  const canWrite = can('write');
  const program = asLoaded(useApiQuery(keys.program(), () => unwrap(api.GET('/v1/program'))));
  const summary = asLoaded(
    useApiQuery(keys.analytics('summary', {}), () => unwrap(api.GET('/v1/analytics/summary', { params: { query: {} } }))),
  );
  const client = useQueryClient();
  const toast = useToast();
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState(false);
  return (
    <>
      <PageTitle>{t('points.title')}</PageTitle>
      {can('staffWrite') ? (
        <p className="mb-4 text-sm text-slate-600">
          <Link href="/members" className="text-indigo-700 underline">
            {t('points.lookup')}
          </Link>
        </p>
      ) : null}
      <Async state={summary}>
        {(x) => (
          <Card title={t('overview.range', { from: x.from, to: x.to })} className="mb-4">
            <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-5">
              {(
                [
                  ['overview.outstanding', num(x.pointsOutstanding)],
                  ['overview.liability', money(x.liabilityCents)],
                  ['overview.issued', num(x.pointsIssued)],
                  ['overview.redeemed', num(x.pointsRedeemed)],
                  ['overview.expired', num(x.pointsExpired)],
                ] as const
              ).map(([label, value]) => (
                <div key={label}>
                  <dt className="text-xs uppercase text-slate-500">{t(label)}</dt>
                  <dd className="text-lg font-semibold">{value}</dd>
                </div>
              ))}
            </dl>
          </Card>
        )}
      </Async>
      <Async state={program}>
        {(p) => (
          <Card title={t('points.rules')}>
            <form
              className="grid max-w-2xl gap-4 sm:grid-cols-2"
              onSubmit={async (e) => {
                e.preventDefault();
                const d = new FormData(e.currentTarget);
                const months = String(d.get('months') ?? '').trim();
                setError(null);
                setSaved(false);
                const share = parsePercent(String(d.get('maxShare') ?? ''));
                if (!share.ok) {
                  setError(new Error(t('points.maxShareInvalid')));
                  return;
                }
                try {
                  const body = {
                    earn: { pointsPerUnit: Number(d.get('earn')) },
                    redeem: { pointsPerUnit: Number(d.get('redeem')), maxShareBps: share.value },
                    expiry: { months: months ? Number(months) : null },
                  } as unknown as Patch;
                  await unwrap(api.PATCH('/v1/program', { body }));
                  setSaved(true);
                  toast(t('common.saved'));
                  await client.invalidateQueries({ queryKey: keys.program() });
                  await client.invalidateQueries({ queryKey: ['analytics'] });
                } catch (err) {
                  setError(err as Error);
                }
              }}
            >
              {/* Shown to every role; changed and saved by owners and admins only. */}
              <fieldset disabled={!canWrite} className="contents">
                <Field label={t('points.earnRate')} name="earn" type="number" min={0} defaultValue={p.earn.pointsPerUnit} required />
                <Field label={t('points.redeemRate')} name="redeem" type="number" min={1} defaultValue={p.redeem.pointsPerUnit} required />
                <Field
                  label={t('points.maxShare')}
                  name="maxShare"
                  inputMode="decimal"
                  defaultValue={percentInput(p.redeem.maxShareBps)}
                  required
                />
                <Field label={t('points.expiry')} name="months" type="number" min={1} max={120} defaultValue={p.expiry.months ?? ''} />
              </fieldset>
              {canWrite ? (
                <SaveBar error={error} saved={saved} />
              ) : (
                <p className="text-sm text-slate-600 sm:col-span-2">{t('common.readOnly')}</p>
              )}
            </form>
          </Card>
        )}
      </Async>
    </>
  );
}
