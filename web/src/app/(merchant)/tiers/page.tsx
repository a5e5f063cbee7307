'use client';
import { useState } from 'react';
import { useApp, useLoad } from '@/components/providers';
import { Async, Button, Card, ErrorNote, PageTitle, Table, Td } from '@/components/ui';
import { unwrap, type Schemas } from '@/lib/api';

type Tier = Schemas['Tier'];
type Simulation = Schemas['LadderSimulation'];

type Row = {
  code: string;
  name: string;
  rank: string;
  minGrowth: string;
  minSpendCents: string;
  discountBps: string;
  pointsMultiplierBps: string;
  freeShippingThresholdCents: string;
  keepSpend: string;
  keepGrowth: string;
  /** Benefits not edited here, kept as they are. */
  rest: Tier['benefits'];
};

const s = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
const opt = (v: string) => (v.trim() === '' ? undefined : Number(v));

function toRow(t: Tier): Row {
  const { discountBps, pointsMultiplierBps, freeShippingThresholdCents, ...rest } = t.benefits;
  return {
    code: t.code,
    name: t.name,
    rank: String(t.rank),
    minGrowth: s(t.minGrowth),
    minSpendCents: s(t.minSpendCents),
    discountBps: s(discountBps),
    pointsMultiplierBps: s(pointsMultiplierBps),
    freeShippingThresholdCents: s(freeShippingThresholdCents),
    keepSpend: s(t.retention.minSpendCents),
    keepGrowth: s(t.retention.minGrowth),
    rest,
  };
}

function toBody(rows: Row[]): Schemas['Ladder'] {
  return {
    tiers: rows.map((r) => {
      const retention = { minSpendCents: opt(r.keepSpend), minGrowth: opt(r.keepGrowth) };
      return {
        code: r.code.trim(),
        name: r.name.trim(),
        rank: Number(r.rank),
        minGrowth: opt(r.minGrowth),
        minSpendCents: opt(r.minSpendCents),
        retention: JSON.parse(JSON.stringify(retention)) as typeof retention,
        benefits: JSON.parse(
          JSON.stringify({
            ...r.rest,
            discountBps: opt(r.discountBps),
            pointsMultiplierBps: opt(r.pointsMultiplierBps),
            freeShippingThresholdCents: opt(r.freeShippingThresholdCents),
          }),
        ) as Tier['benefits'],
      };
    }),
  };
}

const COLUMNS: { key: keyof Omit<Row, 'rest'>; label: Parameters<ReturnType<typeof useApp>['t']>[0]; type: 'text' | 'number' }[] = [
  { key: 'code', label: 'common.code', type: 'text' },
  { key: 'name', label: 'common.name', type: 'text' },
  { key: 'rank', label: 'tiers.rank', type: 'number' },
  { key: 'minGrowth', label: 'tiers.minGrowth', type: 'number' },
  { key: 'minSpendCents', label: 'tiers.minSpend', type: 'number' },
  { key: 'discountBps', label: 'tiers.discount', type: 'number' },
  { key: 'pointsMultiplierBps', label: 'tiers.multiplier', type: 'number' },
  { key: 'freeShippingThresholdCents', label: 'tiers.freeShipping', type: 'number' },
  { key: 'keepSpend', label: 'tiers.retentionSpend', type: 'number' },
  { key: 'keepGrowth', label: 'tiers.retentionGrowth', type: 'number' },
];

function Editor({ initial, onSaved, onEdit }: { initial: Tier[]; onSaved(): void; onEdit(): void }) {
  const { t, api, num } = useApp();
  const [rows, setRows] = useState<Row[]>(() => initial.map(toRow));
  const [sim, setSim] = useState<{ for: string; result: Simulation } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const body = toBody(rows);
  const key = JSON.stringify(body);
  const simulated = sim?.for === key;
  const set = (i: number, k: keyof Omit<Row, 'rest'>, v: string) => {
    onEdit();
    setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  };
  return (
    <div className="flex flex-col gap-4">
      <Card>
        <div className="overflow-x-auto">
          <table className="w-full min-w-[64rem] text-sm">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                {COLUMNS.map((c) => (
                  <th key={c.key} scope="col" className="px-1 py-1 font-medium">
                    {t(c.label)}
                  </th>
                ))}
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>
                  {COLUMNS.map((c) => (
                    <td key={c.key} className="px-1 py-1">
                      <input
                        aria-label={`${t(c.label)} (${r.code || i + 1})`}
                        type={c.type}
                        value={r[c.key]}
                        onChange={(e) => set(i, c.key, e.target.value)}
                        className="w-full min-w-[5rem] rounded border border-slate-300 px-2 py-1"
                      />
                    </td>
                  ))}
                  <td className="px-1 py-1">
                    <Button
                      variant="secondary"
                      onClick={() => setRows(rows.filter((_, j) => j !== i))}
                      aria-label={`${t('tiers.remove')} ${r.code}`}
                    >
                      {t('tiers.remove')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Button
          variant="secondary"
          className="mt-3"
          onClick={() =>
            setRows([
              ...rows,
              {
                code: '',
                name: '',
                rank: String(Math.max(0, ...rows.map((r) => Number(r.rank) || 0)) + 1),
                minGrowth: '',
                minSpendCents: '',
                discountBps: '',
                pointsMultiplierBps: '',
                freeShippingThresholdCents: '',
                keepSpend: '',
                keepGrowth: '',
                rest: {},
              },
            ])
          }
        >
          {t('tiers.add')}
        </Button>
      </Card>
      {error ? <ErrorNote error={error} /> : null}
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="secondary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              setSim({ for: key, result: await unwrap(api.POST('/v1/tiers/simulate', { body })) });
            } catch (err) {
              setError(err as Error);
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('tiers.simulate')}
        </Button>
        <Button
          disabled={!simulated || busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await unwrap(api.PUT('/v1/tiers', { body }));
              onSaved();
            } catch (err) {
              setError(err as Error);
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('tiers.saveLadder')}
        </Button>
        {!simulated ? <span className="text-sm text-slate-500">{t('tiers.simulateFirst')}</span> : null}
      </div>
      {sim && simulated ? (
        <Card title={t('tiers.simulation')}>
          <div aria-live="polite">
            <Table head={[t('common.code'), t('tiers.before'), t('tiers.after')]}>
              {sim.result.distribution.map((d) => (
                <tr key={d.code}>
                  <Td>{d.code}</Td>
                  <Td>{num(d.before)}</Td>
                  <Td>{num(d.after)}</Td>
                </tr>
              ))}
            </Table>
            <p className="mt-2 text-sm">
              {t('tiers.upgrades', { n: num(sim.result.upgrades) })} · {t('tiers.downgrades', { n: num(sim.result.downgrades) })}
            </p>
          </div>
        </Card>
      ) : null}
    </div>
  );
}

export default function TiersPage() {
  const { t, api } = useApp();
  const tiers = useLoad(() => unwrap(api.GET('/v1/tiers')), []);
  const program = useLoad(() => unwrap(api.GET('/v1/program')), []);
  // Kept here: saving reloads the ladder, which starts a fresh editor.
  const [saved, setSaved] = useState(false);
  return (
    <>
      <PageTitle>{t('tiers.title')}</PageTitle>
      {program.data ? (
        <p className="mb-4 text-sm text-slate-600">{t('tiers.model', { model: t(`settings.model.${program.data.qualificationModel}`) })}</p>
      ) : null}
      {saved ? (
        <p role="status" className="mb-4 rounded-md bg-green-50 p-2 text-sm text-green-800">
          {t('common.saved')}
        </p>
      ) : null}
      <Async state={tiers}>
        {(d) => (
          <Editor
            key={JSON.stringify(d.data)}
            initial={d.data}
            onSaved={() => {
              setSaved(true);
              tiers.reload();
            }}
            onEdit={() => setSaved(false)}
          />
        )}
      </Async>
    </>
  );
}
