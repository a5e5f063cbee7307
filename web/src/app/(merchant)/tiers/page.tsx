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
  minRfmScore: string;
  discountBps: string;
  pointsMultiplierBps: string;
  freeShippingThresholdCents: string;
  keepSpend: string;
  keepGrowth: string;
  /** The tier as GET /v1/tiers returned it (null for a new row): saving sends it back whole, with only the edited fields laid over it. */
  orig: Tier | null;
};
type Column = keyof Omit<Row, 'orig'>;

const s = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));
const opt = (v: string) => (v.trim() === '' ? undefined : Number(v));
const THRESHOLDS = ['minGrowth', 'minSpendCents', 'minRfmScore'] as const;

function toRow(t: Tier): Row {
  return {
    code: t.code,
    name: t.name,
    rank: String(t.rank),
    minGrowth: s(t.minGrowth),
    minSpendCents: s(t.minSpendCents),
    minRfmScore: s(t.minRfmScore),
    discountBps: s(t.benefits.discountBps),
    pointsMultiplierBps: s(t.benefits.pointsMultiplierBps),
    freeShippingThresholdCents: s(t.benefits.freeShippingThresholdCents),
    keepSpend: s(t.retention.minSpendCents),
    keepGrowth: s(t.retention.minGrowth),
    orig: t,
  };
}

const EMPTY: Omit<Row, 'orig'> = {
  code: '',
  name: '',
  rank: '',
  minGrowth: '',
  minSpendCents: '',
  minRfmScore: '',
  discountBps: '',
  pointsMultiplierBps: '',
  freeShippingThresholdCents: '',
  keepSpend: '',
  keepGrowth: '',
};

type TierInput = Schemas['Ladder']['tiers'][number];

/** One tier of the body: the received tier, every field the editor does not show kept as it came, edited cells laid over it. */
function toInput(r: Row): TierInput {
  const shown = r.orig ? toRow(r.orig) : EMPTY;
  const edited = (k: Column) => r[k] !== shown[k];
  const pick = <T,>(k: Column, kept: T): T | number | undefined => (edited(k) ? opt(r[k]) : kept);
  const o = r.orig;
  const retention: Record<string, unknown> = {
    ...o?.retention,
    minSpendCents: pick('keepSpend', o?.retention.minSpendCents),
    minGrowth: pick('keepGrowth', o?.retention.minGrowth),
  };
  const benefits: Record<string, unknown> = {
    ...o?.benefits,
    discountBps: pick('discountBps', o?.benefits.discountBps),
    pointsMultiplierBps: pick('pointsMultiplierBps', o?.benefits.pointsMultiplierBps),
    freeShippingThresholdCents: pick('freeShippingThresholdCents', o?.benefits.freeShippingThresholdCents),
  };
  // JSON round trip: a cell emptied by hand drops its key (undefined), a received null stays.
  return JSON.parse(
    JSON.stringify({
      code: r.code.trim(),
      name: r.name.trim(),
      rank: Number(r.rank),
      minGrowth: pick('minGrowth', o?.minGrowth),
      minSpendCents: pick('minSpendCents', o?.minSpendCents),
      minRfmScore: pick('minRfmScore', o?.minRfmScore),
      retention,
      benefits,
    }),
  ) as TierInput;
}

function toBody(rows: Row[]): Schemas['Ladder'] {
  const tiers = rows.map(toInput);
  // The API stores 0 for a threshold nobody set; one that is 0 on every tier is not in use.
  for (const f of THRESHOLDS) if (tiers.every((t) => !t[f])) for (const t of tiers) delete t[f];
  return { tiers };
}

const COLUMNS: { key: Column; label: Parameters<ReturnType<typeof useApp>['t']>[0]; type: 'text' | 'number' }[] = [
  { key: 'code', label: 'common.code', type: 'text' },
  { key: 'name', label: 'common.name', type: 'text' },
  { key: 'rank', label: 'tiers.rank', type: 'number' },
  { key: 'minGrowth', label: 'tiers.minGrowth', type: 'number' },
  { key: 'minSpendCents', label: 'tiers.minSpend', type: 'number' },
  { key: 'minRfmScore', label: 'tiers.minRfm', type: 'number' },
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
  const set = (i: number, k: Column, v: string) => {
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
                        className={`w-full ${c.key === 'rank' ? 'min-w-[3.5rem]' : 'min-w-[5rem]'} rounded border border-slate-300 px-2 py-1`}
                      />
                    </td>
                  ))}
                  <td className="whitespace-nowrap px-1 py-1">
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
                ...EMPTY,
                rank: String(Math.max(0, ...rows.map((r) => Number(r.rank) || 0)) + 1),
                orig: null,
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
