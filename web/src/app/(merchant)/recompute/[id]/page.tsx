'use client';
import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import { useState } from 'react';
import { useApp, useCan } from '@/components/providers';
import { Badge, Button, Card, ConfirmDialog, ErrorNote, PageTitle } from '@/components/ui';
import { ProgressBar, QueryView } from '@/components/data-ui';
import type { MessageKey } from '@/i18n';
import { unwrap, type Schemas } from '@/lib/api';
import { currencySymbol } from '@/lib/units';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';

type Recompute = Schemas['Recompute'];
type Proposal = Schemas['RecomputeProposal'];
/** While the worker computes or applies, the page reads the run again this often. */
const POLL_MS = 1000;
const ACTIVE = new Set(['queued', 'running', 'applying']);
const MONEY_RULES = new Set(['reviewMinItemPriceCents']);

/** The growth rules a proposal changes, flattened to `growthRules.x` / `growthRules.monthlyShopping.y`. */
function changedRules(p: Proposal): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(p.growthRules ?? {})) {
    if (v && typeof v === 'object') for (const [k2, v2] of Object.entries(v)) out.push([`growthRules.${k}.${k2}`, Number(v2)]);
    else if (v !== undefined) out.push([`growthRules.${k}`, Number(v)]);
  }
  return out;
}

function signed(n: number, num: (n: number) => string): string {
  return n > 0 ? `+${num(n)}` : num(n);
}

/** Tier moves as a from → to matrix: rows are tiers now, columns tiers after; the diagonal is who stays. */
function MoveMatrix({ r, name }: { r: Recompute; name: (code: string) => string }) {
  const { t, num } = useApp();
  const from = r.tiers.filter((x) => x.before > 0).map((x) => x.code);
  const to = r.tiers.filter((x) => x.after > 0 || x.before > 0).map((x) => x.code);
  const moved = (f: string, c: string) => r.tierChanges.find((x) => x.from === f && x.to === c)?.count ?? 0;
  const stays = (f: string) => (r.tiers.find((x) => x.code === f)?.before ?? 0) - r.tierChanges.filter((x) => x.from === f).reduce((s, x) => s + x.count, 0);
  if (!from.length) return <p className="text-sm text-slate-600">{t('recompute.noMembers')}</p>;
  return (
    <div className="overflow-x-auto" data-testid="recompute-matrix">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t('recompute.matrix')}</caption>
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            <th scope="col" className="px-2 py-2 font-medium">
              {t('recompute.matrix.corner')}
            </th>
            {to.map((c) => (
              <th key={c} scope="col" className="px-2 py-2 text-right font-medium">
                {name(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {from.map((f) => (
            <tr key={f}>
              <th scope="row" className="px-2 py-2 font-medium text-slate-800">
                {name(f)}
              </th>
              {to.map((c) => {
                const n = f === c ? stays(f) : moved(f, c);
                const tone = f === c ? 'text-slate-500' : n > 0 ? 'font-semibold text-indigo-700' : 'text-slate-300';
                return (
                  <td key={c} className={`px-2 py-2 text-right tabular-nums ${tone}`}>
                    {num(n)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Report({ r, tiers }: { r: Recompute; tiers: Schemas['Tier'][] }) {
  const { t, api, num, money, label, dateTime, tenant, locale } = useApp();
  const router = useRouter();
  const canWrite = useCan()('write');
  const [confirming, setConfirming] = useState(false);
  const names = new Map([...tiers, ...(r.proposal.tiers ?? [])].map((x) => [x.code, x.name]));
  const name = (code: string | null) => (code === null ? '—' : (names.get(code) ?? code));
  const rank = new Map([...(r.proposal.tiers ?? tiers)].map((x) => [x.code, x.rank]));
  const rankOf = (code: string | null) => (code === null ? -1 : (rank.get(code) ?? tiers.find((x) => x.code === code)?.rank ?? -1));
  const up = r.tierChanges.filter((c) => rankOf(c.to) > rankOf(c.from)).reduce((s, c) => s + c.count, 0);
  const down = r.tierChanges.reduce((s, c) => s + c.count, 0) - up;
  const apply = useApiMutation({
    run: () => unwrap(api.POST('/v1/recompute/{id}/apply', { params: { path: { id: r.id } } })),
    invalidate: () => [keys.recompute(r.id), keys.program(), keys.tiers(), keys.members()],
    success: () => t('recompute.applyStarted'),
  });
  const again = useApiMutation({
    run: () => unwrap(api.POST('/v1/recompute/preview', { body: r.proposal })),
    success: () => null,
  });
  const ready = r.status === 'ready';
  const rules = changedRules(r.proposal);
  const ruleLabel = (id: string) => t(`settings.field.${id}` as MessageKey, { currency: currencySymbol(tenant.currency, locale) });
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2" data-testid="recompute-status">
        <Badge tone={r.status === 'failed' ? 'red' : r.status === 'applied' ? 'green' : ready ? 'indigo' : 'amber'}>{label('RecomputeStatus', r.status)}</Badge>
        <span className="text-sm text-slate-600">{t('recompute.replayed', { n: num(r.members) })}</span>
        {r.computedAt ? <span className="text-sm text-slate-500">{t('recompute.computedAt', { at: dateTime(r.computedAt) })}</span> : null}
      </div>
      {r.status === 'failed' && r.error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {t('recompute.failed')}
        </p>
      ) : null}
      {r.stale && ready ? (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          <span className="min-w-0 flex-1">{t('recompute.stale')}</span>
          {canWrite ? (
            <Button
              variant="secondary"
              disabled={again.isPending}
              onClick={() => again.mutate(undefined, { onSuccess: (q) => router.push(`/recompute/${q.id}`) })}
            >
              {t('recompute.again')}
            </Button>
          ) : null}
        </div>
      ) : null}
      {again.error ? <ErrorNote error={again.error} /> : null}

      <Card title={t('recompute.proposal')}>
        <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-[12rem_1fr]">
          <dt className="text-slate-500">{t('recompute.proposal.model')}</dt>
          <dd className="text-slate-900">{r.proposal.qualificationModel ? label('QualificationModel', r.proposal.qualificationModel) : t('recompute.unchanged')}</dd>
          <dt className="text-slate-500">{t('recompute.proposal.tiers')}</dt>
          <dd className="text-slate-900">
            {r.proposal.tiers ? r.proposal.tiers.map((x) => x.name).join(' · ') : t('recompute.unchanged')}
          </dd>
          <dt className="text-slate-500">{t('recompute.proposal.growthRules')}</dt>
          <dd className="text-slate-900">
            {rules.length ? (
              <ul className="flex flex-col gap-0.5">
                {rules.map(([id, v]) => (
                  <li key={id}>
                    {ruleLabel(id)}: <span className="font-medium">{MONEY_RULES.has(id.split('.').at(-1)!) ? money(v) : num(v)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              t('recompute.unchanged')
            )}
          </dd>
        </dl>
      </Card>

      {ACTIVE.has(r.status) && r.status !== 'applying' ? (
        <Card>
          <p className="text-sm text-slate-600" role="status">
            {t('recompute.computing')}
          </p>
        </Card>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="recompute-summary">
            {[
              { k: 'recompute.up', v: num(up) },
              { k: 'recompute.down', v: num(down) },
              { k: 'recompute.growthDelta', v: signed(r.growthDelta, num) },
              { k: 'recompute.growthMembers', v: t('recompute.growthMembersValue', { up: num(r.growthIncreased), down: num(r.growthDecreased) }) },
            ].map((x) => (
              <div key={x.k} className="min-w-0 rounded-lg border border-slate-200 bg-white p-3">
                <p className="text-xs text-slate-500">{t(x.k as MessageKey)}</p>
                <p className="mt-1 text-lg font-semibold text-slate-900 break-words">{x.v}</p>
              </div>
            ))}
          </div>
          <Card title={t('recompute.matrix')}>
            <p className="mb-2 text-xs text-slate-500">{t('recompute.matrix.help')}</p>
            <MoveMatrix r={r} name={name} />
          </Card>
          <Card title={t('recompute.sample')}>
            {r.sample.length ? (
              <ul className="divide-y divide-slate-100 text-sm" data-testid="recompute-sample">
                {r.sample.map((s) => (
                  <li key={s.unionId} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2">
                    <Link href={`/members/${encodeURIComponent(s.unionId)}`} className="font-medium text-indigo-700 underline">
                      {s.unionId}
                    </Link>
                    <span className="text-slate-700">
                      {name(s.tierBefore)} → <span className="font-medium">{name(s.tierAfter)}</span>
                    </span>
                    <span className="tabular-nums text-slate-700">
                      {t('recompute.sample.growth', { before: num(s.growthBefore), after: num(s.growthAfter) })}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600">{t('recompute.sample.empty')}</p>
            )}
          </Card>
        </>
      )}

      {r.status === 'applying' || r.status === 'applied' ? (
        <Card title={t('recompute.applyTitle')}>
          {r.status === 'applying' ? (
            <ProgressBar value={r.applied?.members ?? 0} max={Math.max(r.members, r.applied?.members ?? 0)} label={label('RecomputeStatus', r.status)} />
          ) : (
            <p className="text-sm text-slate-700" data-testid="recompute-applied">
              {t('recompute.appliedText', {
                moves: num(r.applied?.tierMoves ?? 0),
                entries: num(r.applied?.growthEntries ?? 0),
                at: r.appliedAt ? dateTime(r.appliedAt) : '',
              })}
            </p>
          )}
        </Card>
      ) : null}

      {ready ? (
        canWrite ? (
          <Card title={t('recompute.applyTitle')}>
            <p className="mb-3 text-sm text-slate-600">{t('recompute.applyHelp')}</p>
            {apply.error ? (
              <div className="mb-3">
                <ErrorNote error={apply.error} />
              </div>
            ) : null}
            <Button disabled={r.stale || apply.isPending} onClick={() => setConfirming(true)}>
              {t('recompute.apply')}
            </Button>
          </Card>
        ) : (
          <p className="text-sm text-slate-600">{t('recompute.readOnly')}</p>
        )
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={t('recompute.applyConfirm.title')}
        confirmLabel={t('recompute.apply')}
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await apply.mutateAsync(undefined);
          setConfirming(false);
        }}
      >
        <p>{t('recompute.applyConfirm.body', { members: num(r.members), up: num(up), down: num(down) })}</p>
      </ConfirmDialog>
    </div>
  );
}

export default function RecomputePage() {
  const { t, api } = useApp();
  const { id } = useParams<{ id: string }>();
  const run = useApiQuery(keys.recompute(id), () => unwrap(api.GET('/v1/recompute/{id}', { params: { path: { id } } })), {
    refetchInterval: (q) => (q.state.data && !ACTIVE.has(q.state.data.status) ? false : POLL_MS),
  });
  const tiers = useApiQuery(keys.tiers(), () => unwrap(api.GET('/v1/tiers')));
  return (
    <>
      <PageTitle>{t('recompute.title')}</PageTitle>
      <p className="-mt-4 mb-4 text-sm text-slate-600">{t('recompute.intro')}</p>
      <QueryView query={run}>{(r) => <Report r={r} tiers={tiers.data?.data ?? []} />}</QueryView>
    </>
  );
}
