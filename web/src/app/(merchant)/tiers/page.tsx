'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { fieldErrorsOf, ProblemNote, UnitField, unitErrorText, useToast, useUnsavedGuard } from '@/components/form';
import { useApp, useCan } from '@/components/providers';
import { QueryView } from '@/components/data-ui';
import { Button, ConfirmDialog, PageTitle, Select } from '@/components/ui';
import type { MessageKey } from '@/i18n';
import { ApiError, unwrap, type Schemas } from '@/lib/api';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';
import { currencySymbol, parseCount, parseDiscount, parseMoney, parseMultiplier } from '@/lib/units';
import {
  applyPatch,
  keepText,
  ladderBody,
  MEMBER_DAY,
  parseTierField,
  perkList,
  reachText,
  THRESHOLD,
  tierColour,
  tierFields,
  tierPatch,
  toDraft,
  type Coupon,
  type Model,
  type Tier,
  type TierField,
} from './ladder';

type Simulation = Schemas['LadderSimulation'];

function useWords() {
  const { t, locale, tenant, num } = useApp();
  return { t, locale, currency: tenant.currency, num };
}

function TierBadge({ name, colour }: { name: string; colour: string }) {
  return (
    <span
      className="inline-flex items-center gap-2 rounded-full px-3 py-1 text-sm font-semibold text-white shadow-sm"
      style={{ backgroundColor: colour }}
    >
      <span aria-hidden="true">★</span>
      {name}
    </span>
  );
}

/** Before/after bars per tier, the upgrade and downgrade counts, and a sample of members who move. */
function Preview({ sim, tiers }: { sim: Simulation; tiers: Tier[] }) {
  const { t, num } = useApp();
  const nameOf = (code: string | null) => (code === null ? '—' : (tiers.find((x) => x.code === code)?.name ?? code));
  const max = Math.max(1, ...sim.distribution.flatMap((d) => [d.before, d.after]));
  return (
    <section aria-label={t('ladder.preview.title')} className="mt-4 rounded-md border border-indigo-200 bg-indigo-50/50 p-3">
      <h3 className="text-sm font-semibold text-slate-800">{t('ladder.preview.title')}</h3>
      <p className="mt-1 text-sm text-slate-700">{t('ladder.preview.moves', { up: num(sim.upgrades), down: num(sim.downgrades) })}</p>
      <ul className="mt-3 flex flex-col gap-2">
        {sim.distribution.map((d, i) => (
          <li key={d.code} aria-label={t('ladder.preview.row', { tier: nameOf(d.code), before: num(d.before), after: num(d.after) })}>
            <div className="flex justify-between text-xs text-slate-600">
              <span className="font-medium">{nameOf(d.code)}</span>
              <span>
                {num(d.before)} → {num(d.after)}
              </span>
            </div>
            <div className="mt-1 h-2 rounded bg-slate-200" title={t('ladder.preview.now')}>
              <div className="h-2 rounded bg-slate-400" style={{ width: `${(d.before / max) * 100}%` }} />
            </div>
            <div className="mt-0.5 h-2 rounded bg-slate-100" title={t('ladder.preview.after')}>
              <div className="h-2 rounded" style={{ width: `${(d.after / max) * 100}%`, backgroundColor: tierColour(d.code, i) }} />
            </div>
          </li>
        ))}
      </ul>
      <p className="mt-2 flex gap-4 text-xs text-slate-500">
        <span>
          <span className="mr-1 inline-block h-2 w-3 rounded bg-slate-400" /> {t('ladder.preview.now')}
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-3 rounded bg-indigo-500" /> {t('ladder.preview.after')}
        </span>
      </p>
      {sim.sample.length > 0 ? (
        <div className="mt-3">
          <h4 className="text-xs font-semibold uppercase text-slate-500">{t('ladder.preview.sample')}</h4>
          <ul className="mt-1 divide-y divide-slate-200 text-sm">
            {sim.sample.map((m) => (
              <li key={m.unionId} className="flex flex-wrap justify-between gap-2 py-1">
                <Link href={`/members/${encodeURIComponent(m.unionId)}`} className="break-all text-indigo-700 underline">
                  {m.unionId}
                </Link>
                <span>
                  {nameOf(m.from)} → {nameOf(m.to)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="mt-2 text-sm text-slate-600">{t('ladder.preview.nobody')}</p>
      )}
    </section>
  );
}

const fieldLabel = (id: string) => `ladder.field.${id}` as MessageKey;
const fieldHelp = (id: string) => `ladder.help.${id}` as MessageKey;

/** A tier's edit form, opened from its card: only changed fields are sent (PATCH /v1/tiers/:code). */
function TierEditor({
  tier,
  index,
  ladder,
  model,
  coupons,
  onDone,
  onCancel,
  onDirty,
}: {
  tier: Tier;
  index: number;
  ladder: Tier[];
  model: Model;
  coupons: Coupon[];
  onDone(text: string): void;
  onCancel(): void;
  onDirty(d: boolean): void;
}) {
  const { t, api, locale, tenant } = useApp();
  const fields = useMemo(() => tierFields(model, index === 0), [model, index]);
  const initial = useMemo(() => toDraft(tier, fields, locale), [tier, fields, locale]);
  const [draft, setDraft] = useState(initial);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Error | null>(null);
  const [sim, setSim] = useState<{ for: string; result: Simulation } | null>(null);
  const [busy, setBusy] = useState(false);
  const changed = fields.filter((f) => draft[f.id] !== initial[f.id]);
  const dirty = changed.length > 0;
  useUnsavedGuard(dirty);
  const memberDayOn = draft['benefits.memberDay.on'] === 'true';
  const shown = (f: TierField) => memberDayOn || !MEMBER_DAY.slice(1).includes(f.id);

  const errorOf = (f: TierField): string | undefined => {
    if (serverErrors[f.id]) return serverErrors[f.id];
    if (draft[f.id] === initial[f.id] || !shown(f)) return undefined;
    const p = parseTierField(f, draft[f.id] ?? '', locale);
    if (p.ok) return undefined;
    if (p.error === 'weekdays') return t('settings.error.weekdays');
    return unitErrorText(t, p.error as never);
  };
  const invalid = changed.some((f) => errorOf(f) !== undefined);
  const patch = invalid ? null : tierPatch(draft, initial, fields, locale);
  const body = patch ? ladderBody(ladder.map((x) => (x.code === tier.code ? applyPatch(x, patch) : x))) : null;
  const key = JSON.stringify(body);
  const thresholdChanged = changed.some((f) => f.id === THRESHOLD[model]);
  const previewed = sim?.for === key;
  const mustPreview = thresholdChanged && !previewed;

  const set = (id: string, v: string) => {
    const next = { ...draft, [id]: v };
    setDraft(next);
    onDirty(fields.some((f) => next[f.id] !== initial[f.id]));
    setServerErrors((e) => {
      const { [id]: _drop, ...rest } = e;
      return rest;
    });
  };

  // The API's paths (`minGrowth`, `benefits.discountBps`, or `tiers.2.minGrowth` from a ladder check) → this form's fields.
  const fieldOf = (path: string) => {
    const m = /^tiers\.(\d+)\.(.*)$/.exec(path);
    const p = m ? (Number(m[1]) === index ? m[2]! : '') : path;
    const hit = fields.filter((f) => p === f.id || p.startsWith(`${f.id}.`)).sort((a, b) => b.id.length - a.id.length)[0];
    if (hit) return hit.id;
    return p.startsWith('benefits.memberDay') ? 'benefits.memberDay.weekdays' : undefined;
  };
  const fail = (err: unknown) => {
    const { fields: fe, rest } = fieldErrorsOf(t, locale, err, fieldOf);
    // A threshold not above the tier below: say so in words.
    let placedAll = rest === null;
    if (err instanceof ApiError) {
      placedAll = true;
      for (const e of err.errors) {
        const f = fieldOf(e.path);
        if (f && /greater than/.test(e.message)) fe[f] = t('ladder.error.rising');
        if (f && /open to all/.test(e.message)) fe[f] = t('ladder.error.lowest');
        // The tier above now has a threshold not above this one: this threshold is too high.
        const above = /^tiers\.(\d+)\.(\w+)$/.exec(e.path);
        if (!f && above && Number(above[1]) === index + 1 && above[2] === THRESHOLD[model]) {
          fe[THRESHOLD[model]] = t('ladder.error.belowNext', { name: ladder[index + 1]?.name ?? '' });
          continue;
        }
        if (!f) placedAll = false;
      }
    }
    setServerErrors(fe);
    setProblem(placedAll && Object.keys(fe).length ? null : (rest ?? (err as Error)));
  };

  const router = useRouter();
  // The replay of every member's history against this ladder (the simulation above only re-tiers by today's scores).
  const recompute = useApiMutation({
    run: (ladder: Schemas['Ladder']) => unwrap(api.POST('/v1/recompute/preview', { body: { tiers: ladder.tiers } })),
  });
  const preview = async () => {
    if (!body) return;
    setBusy(true);
    setProblem(null);
    try {
      setSim({ for: key, result: await unwrap(api.POST('/v1/tiers/simulate', { body })) });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    if (!patch) return;
    setBusy(true);
    setProblem(null);
    try {
      const r = await unwrap(api.PATCH('/v1/tiers/{code}', { params: { path: { code: tier.code } }, body: patch }));
      onDirty(false);
      onDone(
        r.upgraded || r.downgraded
          ? t('ladder.savedMoved', { name: r.data.name, up: r.upgraded, down: r.downgraded })
          : t('ladder.saved', { name: r.data.name }),
      );
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  };

  const money = currencySymbol(tenant.currency, locale);
  const control = (f: TierField) => {
    const value = draft[f.id] ?? '';
    const label = t(fieldLabel(f.id));
    const hint = t(fieldHelp(f.id));
    if (f.kind === 'flag')
      return (
        <div key={f.id} className="flex items-start gap-2">
          <input
            id={`${tier.code}-${f.id}`}
            type="checkbox"
            className="mt-1"
            aria-describedby={`${tier.code}-${f.id}-help`}
            checked={value === 'true'}
            onChange={(e) => set(f.id, e.target.checked ? 'true' : 'false')}
          />
          <span>
            <label htmlFor={`${tier.code}-${f.id}`} className="block text-sm font-medium text-slate-700">
              {label}
            </label>
            <span id={`${tier.code}-${f.id}-help`} className="block text-xs text-slate-500">
              {hint}
            </span>
          </span>
        </div>
      );
    if (f.kind === 'weekdays') {
      const on = new Set(value.split(',').filter(Boolean).map(Number));
      return (
        <fieldset key={f.id} className="flex min-w-0 flex-col gap-1">
          <legend className="text-sm font-medium text-slate-700">{label}</legend>
          <div className="flex flex-wrap gap-2">
            {[1, 2, 3, 4, 5, 6, 7].map((d) => (
              <label key={d} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  checked={on.has(d)}
                  onChange={(e) => {
                    const next = new Set(on);
                    if (e.target.checked) next.add(d);
                    else next.delete(d);
                    set(f.id, [...next].sort().join(','));
                  }}
                />
                {t(`weekday.${d}` as MessageKey)}
              </label>
            ))}
          </div>
          {errorOf(f) ? <p className="text-xs text-red-600">{errorOf(f)}</p> : null}
        </fieldset>
      );
    }
    if (f.kind === 'coupon')
      return (
        <div key={f.id} className="flex min-w-0 flex-col gap-1">
          <Select label={label} value={value} onChange={(e) => set(f.id, e.target.value)}>
            <option value="">{t('ladder.noCoupon')}</option>
            {coupons.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
          <p className="text-xs text-slate-500">{hint}</p>
        </div>
      );
    if (f.kind === 'coupons') {
      const on = new Set(value.split(',').filter(Boolean));
      return (
        <fieldset key={f.id} className="flex min-w-0 flex-col gap-1 sm:col-span-2">
          <legend className="text-sm font-medium text-slate-700">{label}</legend>
          {coupons.length === 0 ? (
            <p className="text-xs text-slate-500">
              {t('ladder.noCoupons')}{' '}
              <Link href="/coupons" className="text-indigo-700 underline">
                {t('nav.coupons')}
              </Link>
            </p>
          ) : (
            <div className="flex flex-wrap gap-3">
              {coupons.map((c) => (
                <label key={c.id} className="flex items-center gap-1 text-sm">
                  <input
                    type="checkbox"
                    checked={on.has(c.id)}
                    onChange={(e) => {
                      const next = new Set(on);
                      if (e.target.checked) next.add(c.id);
                      else next.delete(c.id);
                      set(f.id, [...next].join(','));
                    }}
                  />
                  {c.name}
                </label>
              ))}
            </div>
          )}
          <p className="text-xs text-slate-500">{hint}</p>
        </fieldset>
      );
    }
    const adorn =
      f.kind === 'money' || f.kind === 'optionalMoney'
        ? { prefix: money }
        : f.kind === 'discount'
          ? { suffix: t('units.discountSuffix') }
          : f.kind === 'multiplier'
            ? { prefix: '×' }
            : f.id === 'minGrowth' || f.id === 'retention.minGrowth'
              ? { suffix: t('units.growth') }
              : f.id === 'benefits.birthdayGift.points'
                ? { suffix: t('units.points') }
                : {};
    return (
      <UnitField
        key={f.id}
        label={label}
        hint={hint}
        {...adorn}
        inputMode={f.kind === 'text' ? 'text' : 'decimal'}
        value={value}
        error={errorOf(f)}
        onChange={(e) => set(f.id, e.target.value)}
      />
    );
  };

  const groups: { title: MessageKey; ids: (id: string) => boolean }[] = [
    { title: 'ladder.group.reach', ids: (id) => id === 'name' || id === THRESHOLD[model] || id.startsWith('retention.') },
    {
      title: 'ladder.group.shopping',
      ids: (id) => ['benefits.discountBps', 'benefits.pointsMultiplierBps', 'benefits.freeShippingThresholdCents'].includes(id),
    },
    { title: 'ladder.group.memberDay', ids: (id) => id.startsWith('benefits.memberDay.') },
    {
      title: 'ladder.group.service',
      ids: (id) =>
        ['benefits.exclusiveAccess', 'benefits.prioritySupport', 'benefits.priorityDelivery', 'benefits.fastRefund'].includes(id),
    },
    { title: 'ladder.group.gifts', ids: (id) => id.startsWith('benefits.birthdayGift.') || id.startsWith('benefits.upgradeGift.') },
  ];
  return (
    <form
      aria-label={t('ladder.editTier', { name: tier.name })}
      className="mt-4 flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!mustPreview && dirty && !invalid) void save();
      }}
    >
      {groups.map((g) => (
        <fieldset key={g.title} className="rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-semibold text-slate-800">{t(g.title)}</legend>
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">{fields.filter((f) => g.ids(f.id) && shown(f)).map(control)}</div>
        </fieldset>
      ))}
      {problem ? <ProblemNote error={problem} /> : null}
      {sim && previewed ? <Preview sim={sim.result} tiers={body ? (body.tiers as Tier[]) : ladder} /> : null}
      {recompute.error ? <ProblemNote error={recompute.error} /> : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="secondary" onClick={() => void preview()} disabled={busy || !body}>
          {t('ladder.previewEffect')}
        </Button>
        <Button
          variant="secondary"
          disabled={busy || !body || !dirty || recompute.isPending}
          onClick={() => body && recompute.mutate(body, { onSuccess: (q) => router.push(`/recompute/${q.id}`) })}
        >
          {t('recompute.previewLadder')}
        </Button>
        <Button type="submit" disabled={busy || !dirty || invalid || mustPreview} aria-busy={busy || undefined}>
          {busy ? t('common.saving') : t('ladder.saveTier')}
        </Button>
        <Button
          variant="secondary"
          onClick={() => {
            onDirty(false);
            onCancel();
          }}
          disabled={busy}
        >
          {t('common.cancel')}
        </Button>
        {mustPreview ? <span className="text-sm text-slate-600">{t('ladder.previewFirst')}</span> : null}
      </div>
    </form>
  );
}

/** A new tier on top of the ladder (PUT /v1/tiers with every tier as stored, plus this one). */
function AddTier({ ladder, model, onDone }: { ladder: Tier[]; model: Model; onDone(text: string): void }) {
  const { t, api, locale, tenant } = useApp();
  const [open, setOpen] = useState(false);
  const [v, setV] = useState({ code: '', name: '', threshold: '', discount: '', multiplier: '' });
  const [sim, setSim] = useState<{ for: string; result: Simulation } | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const field = THRESHOLD[model];
  const threshold =
    field === 'minSpendCents' ? parseMoney(v.threshold) : parseCount(v.threshold, { max: field === 'minRfmScore' ? 100 : undefined });
  const discount = v.discount.trim() === '' ? ({ ok: true, value: 10_000 } as const) : parseDiscount(v.discount, locale);
  const multiplier = v.multiplier.trim() === '' ? ({ ok: true, value: 10_000 } as const) : parseMultiplier(v.multiplier);
  const codeOk = /^[A-Za-z0-9_-]{1,64}$/.test(v.code) && !ladder.some((x) => x.code === v.code);
  const ok = codeOk && v.name.trim() !== '' && threshold.ok && discount.ok && multiplier.ok;
  const tier: Tier | null = ok
    ? {
        code: v.code,
        name: v.name.trim(),
        rank: Math.max(0, ...ladder.map((x) => x.rank)) + 1,
        minGrowth: 0,
        minSpendCents: 0,
        minRfmScore: 0,
        [field]: threshold.ok ? threshold.value : 0,
        retention: {},
        benefits: { discountBps: discount.ok ? discount.value : 10_000, pointsMultiplierBps: multiplier.ok ? multiplier.value : 10_000 },
      }
    : null;
  const body = tier ? ladderBody([...ladder, tier]) : null;
  const key = JSON.stringify(body);
  if (!open)
    return (
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {t('tiers.add')}
      </Button>
    );
  const err = (p: { ok: boolean; error?: string }, raw: string) => (raw !== '' && !p.ok ? unitErrorText(t, p.error as never) : undefined);
  return (
    <section aria-label={t('tiers.add')} className="rounded-lg border border-dashed border-slate-300 bg-white p-4">
      <h2 className="text-base font-semibold text-slate-800">{t('tiers.add')}</h2>
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
        <UnitField
          label={t('common.code')}
          hint={t('ladder.help.code')}
          value={v.code}
          inputMode="text"
          error={v.code !== '' && !codeOk ? t('ladder.error.code') : undefined}
          onChange={(e) => setV({ ...v, code: e.target.value })}
        />
        <UnitField
          label={t('ladder.field.name')}
          hint={t('ladder.help.name')}
          value={v.name}
          inputMode="text"
          onChange={(e) => setV({ ...v, name: e.target.value })}
        />
        <UnitField
          label={t(fieldLabel(field))}
          hint={t('ladder.help.newThreshold')}
          prefix={field === 'minSpendCents' ? currencySymbol(tenant.currency, locale) : undefined}
          suffix={field === 'minGrowth' ? t('units.growth') : undefined}
          value={v.threshold}
          error={err(threshold, v.threshold)}
          onChange={(e) => setV({ ...v, threshold: e.target.value })}
        />
        <UnitField
          label={t('ladder.field.benefits.discountBps')}
          hint={t('ladder.help.benefits.discountBps')}
          suffix={t('units.discountSuffix')}
          value={v.discount}
          error={err(discount, v.discount)}
          onChange={(e) => setV({ ...v, discount: e.target.value })}
        />
        <UnitField
          label={t('ladder.field.benefits.pointsMultiplierBps')}
          hint={t('ladder.help.benefits.pointsMultiplierBps')}
          prefix="×"
          value={v.multiplier}
          error={err(multiplier, v.multiplier)}
          onChange={(e) => setV({ ...v, multiplier: e.target.value })}
        />
      </div>
      {problem ? (
        <div className="mt-3">
          <ProblemNote error={problem} />
        </div>
      ) : null}
      {sim && sim.for === key && body ? <Preview sim={sim.result} tiers={body.tiers as Tier[]} /> : null}
      <div className="mt-3 flex flex-wrap gap-2">
        <Button
          variant="secondary"
          disabled={!body || busy}
          onClick={async () => {
            if (!body) return;
            setBusy(true);
            setProblem(null);
            try {
              setSim({ for: key, result: await unwrap(api.POST('/v1/tiers/simulate', { body })) });
            } catch (e) {
              setProblem(e as Error);
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('ladder.previewEffect')}
        </Button>
        <Button
          disabled={!body || busy || sim?.for !== key}
          onClick={async () => {
            if (!body) return;
            setBusy(true);
            setProblem(null);
            try {
              await unwrap(api.PUT('/v1/tiers', { body }));
              onDone(t('ladder.added', { name: v.name.trim() }));
            } catch (e) {
              setProblem(e as Error);
            } finally {
              setBusy(false);
            }
          }}
        >
          {t('ladder.addTier')}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
        {sim?.for !== key ? <span className="text-sm text-slate-600">{t('ladder.previewFirst')}</span> : null}
      </div>
    </section>
  );
}

function Ladder({ tiers, program, coupons, reload }: { tiers: Tier[]; program: Schemas['Program']; coupons: Coupon[]; reload(): void }) {
  const { t, api } = useApp();
  const canWrite = useCan()('write');
  const words = useWords();
  const [editing, setEditing] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [removing, setRemoving] = useState<Tier | null>(null);
  const [toast, showToast] = useToast();
  const model = program.qualificationModel;
  const done = (text: string) => {
    setEditing(null);
    setDirty(false);
    showToast(text);
    reload();
  };
  return (
    <>
      <ol className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {tiers.map((tier, i) => {
          const colour = tierColour(tier.code, i);
          const perks = perkList(tier.benefits, coupons, words);
          const isEditing = editing === tier.code;
          return (
            <li
              key={tier.code}
              aria-label={tier.name}
              className={`min-w-0 rounded-lg border bg-white p-4 shadow-sm ${isEditing ? 'border-indigo-300 lg:col-span-2' : 'border-slate-200'}`}
              style={{ borderTopWidth: 4, borderTopColor: colour }}
            >
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="flex min-w-0 flex-col gap-1">
                  <TierBadge name={tier.name} colour={colour} />
                  <span className="text-xs text-slate-500">{t('ladder.level', { n: i + 1 })}</span>
                </div>
                {isEditing || !canWrite ? null : (
                  <div className="flex gap-2">
                    <Button
                      variant="secondary"
                      aria-label={t('ladder.editTier', { name: tier.name })}
                      disabled={editing !== null && dirty}
                      onClick={() => {
                        setEditing(tier.code);
                        setDirty(false);
                      }}
                    >
                      {t('catalogue.edit')}
                    </Button>
                    {i > 0 ? (
                      <Button
                        variant="secondary"
                        aria-label={t('ladder.removeTier', { name: tier.name })}
                        onClick={() => setRemoving(tier)}
                      >
                        {t('tiers.remove')}
                      </Button>
                    ) : null}
                  </div>
                )}
              </div>
              <dl className="mt-3 grid grid-cols-1 gap-2 text-sm sm:grid-cols-[8rem_1fr]">
                <dt className="text-slate-500">{t('ladder.reachedBy')}</dt>
                <dd className="font-medium text-slate-900">{reachText(tier, model, i === 0, words)}</dd>
                <dt className="text-slate-500">{t('ladder.keptBy')}</dt>
                <dd className="text-slate-800">{keepText(tier, program.retention.period, i === 0, words)}</dd>
                <dt className="text-slate-500">{t('ladder.perks')}</dt>
                <dd>
                  {perks.length ? (
                    <ul className="flex flex-wrap gap-1.5">
                      {perks.map((p) => (
                        <li key={p} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-800">
                          {p}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-slate-500">{t('ladder.noPerks')}</span>
                  )}
                </dd>
              </dl>
              {isEditing && canWrite ? (
                <TierEditor
                  tier={tier}
                  index={i}
                  ladder={tiers}
                  model={model}
                  coupons={coupons}
                  onDone={done}
                  onCancel={() => setEditing(null)}
                  onDirty={setDirty}
                />
              ) : null}
            </li>
          );
        })}
      </ol>
      {canWrite ? (
        <div className="mt-4">
          <AddTier key={tiers.map((x) => x.code).join()} ladder={tiers} model={model} onDone={done} />
        </div>
      ) : null}
      <ConfirmDialog
        open={canWrite && removing !== null}
        title={t('ladder.confirmRemove', { name: removing?.name ?? '' })}
        confirmLabel={t('tiers.remove')}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await unwrap(api.PUT('/v1/tiers', { body: ladderBody(tiers.filter((x) => x.code !== removing.code)) }));
          const name = removing.name;
          setRemoving(null);
          done(t('ladder.removed', { name }));
        }}
      >
        {t('ladder.removeHelp')}
      </ConfirmDialog>
      {toast}
    </>
  );
}

export default function TiersPage() {
  const { t, api } = useApp();
  const canWrite = useCan()('write');
  const tiers = useApiQuery(keys.tiers(), () => unwrap(api.GET('/v1/tiers')));
  const program = useApiQuery(keys.program(), () => unwrap(api.GET('/v1/program')));
  const coupons = useApiQuery([...keys.couponTemplates(), { limit: 200 }], () =>
    unwrap(api.GET('/v1/coupon-templates', { params: { query: { limit: 200 } } })),
  );
  return (
    <>
      <PageTitle>{t('tiers.title')}</PageTitle>
      {program.data ? (
        <p className="-mt-4 mb-4 text-sm text-slate-600">
          {t('tiers.model', { model: t(`settings.model.${program.data.qualificationModel}`) })}
          {canWrite ? (
            <>
              {' · '}
              <Link href="/settings" className="text-indigo-700 underline">
                {t('ladder.changeModel')}
              </Link>
            </>
          ) : null}
        </p>
      ) : null}
      <QueryView query={tiers}>
        {(d) =>
          program.data ? (
            <Ladder tiers={d.data} program={program.data} coupons={coupons.data?.data ?? []} reload={() => {
                void tiers.refetch();
                void program.refetch();
              }}
            />
          ) : program.error ? (
            <ProblemNote error={program.error} />
          ) : null
        }
      </QueryView>
    </>
  );
}
