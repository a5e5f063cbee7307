'use client';
import { useRouter } from 'next/navigation';
import { Fragment, useMemo, useState } from 'react';
import { fieldErrorsOf, ProblemNote, Section, StickySaveBar, UnitField, unitErrorText, useToast, useUnsavedGuard } from '@/components/form';
import { useQueryClient } from '@tanstack/react-query';
import { useApp, useCan } from '@/components/providers';
import { Button, ConfirmDialog, ErrorNote, PageTitle, Select } from '@/components/ui';
import { QueryView } from '@/components/data-ui';
import type { Locale, MessageKey } from '@/i18n';
import { unwrap, type Schemas } from '@/lib/api';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';
import {
  currencySymbol,
  discountInput,
  moneyInput,
  multiplierInput,
  parseCount,
  parseDiscount,
  parseMoney,
  parseMultiplier,
  parsePercent,
  percentInput,
  type Bounds,
  type Parsed,
} from '@/lib/units';

type Program = Schemas['Program'];
type Kind =
  | 'count'
  | 'optionalCount'
  | 'money'
  | 'percent'
  | 'counts'
  | 'moneys'
  | 'select'
  | 'currency'
  | 'timezone'
  | 'discount'
  | 'multiplier'
  | 'toggle'
  | 'weekdays';

interface Spec {
  /** The setting's path in the program (`retention.warnDays`); also the field's id. */
  id: string;
  kind: Kind;
  bounds?: Bounds;
  /** For lists: how many values (min, max). */
  length?: [number, number];
  options?: { value: string; label: MessageKey }[];
  /** A unit word after the box (points, days…). */
  suffix?: MessageKey;
  /** Only shown when this is true of the draft (RFM thresholds under the RFM model, member day fields when on). */
  when?: (draft: Record<string, string>) => boolean;
}

const MD = 'earn.memberDay';
const memberDayOn = (d: Record<string, string>) => d[`${MD}.on`] === 'true';

const SECTIONS: { key: string; fields: Spec[] }[] = [
  {
    key: 'earn',
    fields: [
      { id: 'earn.pointsPerUnit', kind: 'count', bounds: { max: 10_000 }, suffix: 'units.points' },
      { id: `${MD}.on`, kind: 'toggle' },
      { id: `${MD}.weekdays`, kind: 'weekdays', when: memberDayOn },
      { id: `${MD}.discountBps`, kind: 'discount', when: memberDayOn },
      { id: `${MD}.pointsMultiplierBps`, kind: 'multiplier', bounds: { max: 100_000 }, when: memberDayOn },
    ],
  },
  {
    key: 'redeem',
    fields: [
      { id: 'redeem.pointsPerUnit', kind: 'count', bounds: { min: 1, max: 1_000_000 }, suffix: 'units.points' },
      { id: 'redeem.maxShareBps', kind: 'percent' },
      { id: 'expiry.months', kind: 'optionalCount', bounds: { min: 1, max: 120 }, suffix: 'units.months' },
    ],
  },
  {
    key: 'growth',
    fields: [
      { id: 'growthRules.purchasePerUnit', kind: 'count', bounds: { max: 10_000 }, suffix: 'units.growth' },
      { id: 'growthRules.dailyLogin', kind: 'count', bounds: { max: 10_000 }, suffix: 'units.growth' },
      { id: 'growthRules.review', kind: 'count', bounds: { max: 10_000 }, suffix: 'units.growth' },
      { id: 'growthRules.reviewMinItemPriceCents', kind: 'money' },
      { id: 'growthRules.photoReview', kind: 'count', bounds: { max: 10_000 }, suffix: 'units.growth' },
      { id: 'growthRules.photoReviewsPerItem', kind: 'count', bounds: { max: 1000 } },
      { id: 'growthRules.share', kind: 'count', bounds: { max: 10_000 }, suffix: 'units.growth' },
      { id: 'growthRules.monthlyShopping.minDays', kind: 'count', bounds: { min: 1, max: 31 }, suffix: 'units.days' },
      { id: 'growthRules.monthlyShopping.bonus', kind: 'count', bounds: { max: 100_000 }, suffix: 'units.growth' },
      { id: 'growthRules.monthlyShopping.grantDay', kind: 'count', bounds: { min: 1, max: 28 } },
    ],
  },
  {
    key: 'activity',
    fields: [
      { id: 'checkIn.rewards', kind: 'counts', bounds: { max: 100_000 }, length: [1, 31] },
      { id: 'tasks.firstOrder', kind: 'count', bounds: { max: 1_000_000 }, suffix: 'units.points' },
      { id: 'tasks.firstOrderMinAmountCents', kind: 'money' },
      { id: 'tasks.profileCompleted', kind: 'count', bounds: { max: 1_000_000 }, suffix: 'units.points' },
      { id: 'caps.activityPointsPerDay', kind: 'count', bounds: { max: 1_000_000 }, suffix: 'units.points' },
      { id: 'caps.activityGrowthPerDay', kind: 'count', bounds: { max: 1_000_000 }, suffix: 'units.growth' },
    ],
  },
  {
    key: 'refunds',
    fields: [
      {
        id: 'refunds.clawback',
        kind: 'select',
        options: [
          { value: 'debt', label: 'settings.option.clawback.debt' },
          { value: 'cap_at_balance', label: 'settings.option.clawback.cap_at_balance' },
        ],
      },
      { id: 'refunds.flagThresholdBps', kind: 'percent' },
      { id: 'refunds.flagWindowDays', kind: 'count', bounds: { min: 1, max: 365 }, suffix: 'units.days' },
      { id: 'refunds.flagMinOrders', kind: 'count', bounds: { min: 1, max: 1000 } },
    ],
  },
  {
    key: 'tiers',
    fields: [
      {
        id: 'qualificationModel',
        kind: 'select',
        options: [
          { value: 'growth', label: 'settings.model.growth' },
          { value: 'spend', label: 'settings.model.spend' },
          { value: 'rfm', label: 'settings.model.rfm' },
        ],
      },
      { id: 'trial.days', kind: 'count', bounds: { min: 1, max: 90 }, suffix: 'units.days' },
      { id: 'trial.tierCode', kind: 'select' },
    ],
  },
  {
    key: 'rfm',
    fields: [
      { id: 'rfm.windowDays', kind: 'count', bounds: { min: 1, max: 3650 }, suffix: 'units.days' },
      { id: 'rfm.recencyDays', kind: 'counts', bounds: { max: 3650 }, length: [4, 4] },
      { id: 'rfm.frequency', kind: 'counts', bounds: { min: 1, max: 100_000 }, length: [4, 4] },
      { id: 'rfm.monetaryCents', kind: 'moneys', bounds: { min: 1 }, length: [4, 4] },
      { id: 'rfm.weights.recency', kind: 'count', bounds: { max: 10 } },
      { id: 'rfm.weights.frequency', kind: 'count', bounds: { max: 10 } },
      { id: 'rfm.weights.monetary', kind: 'count', bounds: { max: 10 } },
    ],
  },
  {
    key: 'retention',
    fields: [
      {
        id: 'retention.period',
        kind: 'select',
        options: (['month', 'quarter', 'half_year', 'year'] as const).map((x) => ({ value: x, label: `period.${x}` as MessageKey })),
      },
      { id: 'retention.warnDays', kind: 'count', bounds: { max: 90 }, suffix: 'units.days' },
      { id: 'retention.keepTierGiftMonths', kind: 'count', bounds: { min: 1, max: 24 }, suffix: 'units.months' },
      { id: 'retention.keepTierGiftPoints', kind: 'count', bounds: { max: 1_000_000 }, suffix: 'units.points' },
    ],
  },
  {
    key: 'general',
    fields: [
      { id: 'currency', kind: 'currency' },
      { id: 'timezone', kind: 'timezone' },
    ],
  },
];
const SPECS = SECTIONS.flatMap((s) => s.fields);

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

function setAt(obj: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
}

const list = (xs: unknown) => (Array.isArray(xs) ? xs.join(', ') : '');

/** The program as the form's text values, in the merchant's units. */
function toDraft(p: Program, locale: Locale): Record<string, string> {
  const d: Record<string, string> = {};
  const md = p.earn.memberDay;
  for (const s of SPECS) {
    const v = at(p, s.id);
    switch (s.kind) {
      case 'toggle':
        d[s.id] = md ? 'true' : 'false';
        break;
      case 'weekdays':
        d[s.id] = (md?.weekdays ?? [3]).join(',');
        break;
      case 'discount':
        d[s.id] = discountInput(md?.discountBps ?? 10_000, locale);
        break;
      case 'multiplier':
        d[s.id] = multiplierInput(md?.pointsMultiplierBps ?? 10_000);
        break;
      case 'money':
        d[s.id] = moneyInput(v as number);
        break;
      case 'percent':
        d[s.id] = percentInput(v as number);
        break;
      case 'counts':
        d[s.id] = list(v);
        break;
      case 'moneys':
        d[s.id] = Array.isArray(v) ? v.map((c: number) => moneyInput(c)).join(', ') : '';
        break;
      default:
        d[s.id] = v === null || v === undefined ? '' : String(v);
    }
  }
  return d;
}

function validZone(z: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch {
    return false;
  }
}

type Value = { ok: true; value: unknown } | { ok: false; error: string };

/** One field's text → the API's value, or the reason it is refused (a units.error.* key or settings.error.*). */
function parseField(s: Spec, text: string, locale: Locale): Value | Parsed {
  switch (s.kind) {
    case 'count':
      return parseCount(text, s.bounds);
    case 'optionalCount':
      return text.trim() === '' ? { ok: true, value: null } : parseCount(text, s.bounds);
    case 'money':
      return parseMoney(text, s.bounds);
    case 'percent':
      return parsePercent(text);
    case 'discount':
      return parseDiscount(text, locale);
    case 'multiplier':
      return parseMultiplier(text, s.bounds);
    case 'counts':
    case 'moneys': {
      const parts = text.split(/[,，、\s]+/).filter((x) => x !== '');
      const [min, max] = s.length ?? [1, 31];
      if (parts.length < min || parts.length > max)
        return { ok: false, error: min === max ? 'settings.error.exactly' : 'settings.error.between' };
      const out: number[] = [];
      for (const x of parts) {
        const p = s.kind === 'moneys' ? parseMoney(x, s.bounds) : parseCount(x, s.bounds);
        if (!p.ok) return p;
        out.push(p.value);
      }
      return { ok: true, value: out };
    }
    case 'currency':
      return /^[A-Za-z]{3}$/.test(text.trim())
        ? { ok: true, value: text.trim().toUpperCase() }
        : { ok: false, error: 'settings.error.currency' };
    case 'timezone':
      return validZone(text) ? { ok: true, value: text } : { ok: false, error: 'settings.error.timezone' };
    case 'weekdays':
      return text === '' ? { ok: false, error: 'settings.error.weekdays' } : { ok: true, value: text.split(',').map(Number) };
    case 'select':
      return { ok: true, value: s.id === 'trial.tierCode' && text === '' ? null : text };
    default:
      return { ok: true, value: text };
  }
}

const WEEKDAYS: MessageKey[] = ['weekday.1', 'weekday.2', 'weekday.3', 'weekday.4', 'weekday.5', 'weekday.6', 'weekday.7'];

function Editor({
  program,
  tiers,
  onSaved,
  showToast,
}: {
  program: Program;
  tiers: Schemas['Tier'][];
  onSaved(p: Program): void;
  showToast(text: string, tone?: 'ok' | 'error'): void;
}) {
  const { t, api, locale, tenant } = useApp();
  const router = useRouter();
  const initial = useMemo(() => toDraft(program, locale), [program, locale]);
  const canWrite = useCan()('write');
  const [draft, setDraft] = useState(initial);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmModel, setConfirmModel] = useState(false);
  const changed = SPECS.filter((s) => draft[s.id] !== initial[s.id]);
  const dirty = changed.length > 0;
  useUnsavedGuard(dirty);

  const visible = (s: Spec) => !s.when || s.when(draft);
  const errorOf = (s: Spec): string | undefined => {
    if (serverErrors[s.id]) return serverErrors[s.id];
    if (draft[s.id] === initial[s.id] || !visible(s)) return undefined;
    const p = parseField(s, draft[s.id] ?? '', locale);
    if (p.ok) return undefined;
    const e = String(p.error);
    if (e.startsWith('settings.error.')) {
      const [min, max] = s.length ?? [1, 31];
      return t(e as MessageKey, { n: min, min, max });
    }
    return unitErrorText(t, p.error as never) + boundsText(s);
  };
  const boundsText = (s: Spec) => {
    if (!s.bounds || s.kind === 'money' || s.kind === 'moneys' || s.kind === 'multiplier') return '';
    return `${locale === 'en' ? ' ' : ''}${t('settings.error.range', { min: s.bounds.min ?? 0, max: s.bounds.max ?? 2147483647 })}`;
  };
  const invalid = changed.some((s) => visible(s) && errorOf(s) !== undefined);

  const set = (id: string, v: string) => {
    setDraft((d) => ({ ...d, [id]: v }));
    setServerErrors((e) => {
      if (!e[id]) return e;
      const { [id]: _drop, ...rest } = e;
      return rest;
    });
  };

  /** PATCH with only the changed settings: nothing else the API holds is sent, so nothing is lost. */
  const buildPatch = () => {
    const body: Record<string, unknown> = {};
    let memberDay = false;
    for (const s of changed) {
      if (s.id.startsWith(`${MD}.`)) {
        memberDay = true;
        continue;
      }
      const p = parseField(s, draft[s.id] ?? '', locale);
      if (p.ok) setAt(body, s.id, p.value);
    }
    if (memberDay) {
      const v = (id: string) =>
        parseField(
          SPECS.find((s) => s.id === `${MD}.${id}`)!,
          draft[`${MD}.${id}`] ?? '',
          locale,
        );
      const [w, dsc, mul] = [v('weekdays'), v('discountBps'), v('pointsMultiplierBps')];
      setAt(
        body,
        MD,
        memberDayOn(draft) && w.ok && dsc.ok && mul.ok
          ? { weekdays: w.value, discountBps: dsc.value, pointsMultiplierBps: mul.value }
          : null,
      );
    }
    return body as Schemas['ProgramPatch'];
  };

  const save = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const updated = await unwrap(api.PATCH('/v1/program', { body: buildPatch() }));
      showToast(t('settings.savedToast'));
      onSaved(updated);
      if (updated.currency !== program.currency || updated.timezone !== program.timezone) router.refresh();
    } catch (err) {
      const { fields, rest } = fieldErrorsOf(t, locale, err, (path) => {
        const hit = SPECS.filter((s) => path === s.id || path.startsWith(`${s.id}.`)).sort((a, b) => b.id.length - a.id.length)[0];
        if (hit) return hit.id;
        return path.startsWith(`${MD}`) ? `${MD}.weekdays` : undefined;
      });
      setServerErrors(fields);
      setProblem(rest ?? (Object.keys(fields).length ? null : (err as Error)));
      showToast(t('settings.notSaved'), 'error');
    } finally {
      setBusy(false);
    }
  };

  const label = (s: Spec) => t(`settings.field.${s.id}` as MessageKey, { currency: currencySymbol(tenant.currency, locale) });
  const help = (s: Spec) => t(`settings.help.${s.id}` as MessageKey, { currency: currencySymbol(tenant.currency, locale) });
  const zones = useMemo(() => {
    const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    return all.includes(program.timezone) ? all : [program.timezone, ...all];
  }, [program.timezone]);

  const control = (s: Spec) => {
    const common = { key: s.id, label: label(s), hint: help(s) };
    const value = draft[s.id] ?? '';
    switch (s.kind) {
      case 'toggle':
        return (
          <div key={s.id} className="flex items-start gap-2 sm:col-span-2 xl:col-span-3">
            <input
              id={`f-${s.id}`}
              type="checkbox"
              className="mt-1"
              aria-describedby={`f-${s.id}-help`}
              checked={value === 'true'}
              onChange={(e) => set(s.id, e.target.checked ? 'true' : 'false')}
            />
            <span>
              <label htmlFor={`f-${s.id}`} className="block text-sm font-medium text-slate-700">
                {label(s)}
              </label>
              <span id={`f-${s.id}-help`} className="block text-xs text-slate-500">
                {help(s)}
              </span>
            </span>
          </div>
        );
      case 'weekdays': {
        const on = new Set(value.split(',').filter(Boolean).map(Number));
        const err = errorOf(s);
        return (
          <fieldset key={s.id} className="flex min-w-0 flex-col gap-1">
            <legend className="text-sm font-medium text-slate-700">{label(s)}</legend>
            <div className="flex flex-wrap gap-2">
              {WEEKDAYS.map((w, i) => (
                <label key={w} className="flex items-center gap-1 text-sm">
                  <input
                    type="checkbox"
                    checked={on.has(i + 1)}
                    onChange={(e) => {
                      const next = new Set(on);
                      if (e.target.checked) next.add(i + 1);
                      else next.delete(i + 1);
                      set(s.id, [...next].sort().join(','));
                    }}
                  />
                  {t(w)}
                </label>
              ))}
            </div>
            {err ? <p className="text-xs text-red-600">{err}</p> : null}
            <p className="text-xs text-slate-500">{help(s)}</p>
          </fieldset>
        );
      }
      case 'select':
      case 'timezone': {
        const options =
          s.kind === 'timezone'
            ? zones.map((z) => ({ value: z, text: z }))
            : s.id === 'trial.tierCode'
              ? [{ value: '', text: t('settings.option.trialNextTier') }, ...tiers.map((x) => ({ value: x.code, text: x.name }))]
              : (s.options ?? []).map((o) => ({ value: o.value, text: t(o.label) }));
        return (
          <div key={s.id} className="flex min-w-0 flex-col gap-1">
            <Select label={label(s)} value={value} onChange={(e) => set(s.id, e.target.value)} aria-describedby={`${s.id}-help`}>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.text}
                </option>
              ))}
            </Select>
            {errorOf(s) ? <p className="text-xs text-red-600">{errorOf(s)}</p> : null}
            <p id={`${s.id}-help`} className="text-xs text-slate-500">
              {help(s)}
            </p>
          </div>
        );
      }
      default: {
        const adorn: { prefix?: string; suffix?: string } =
          s.kind === 'money' || s.kind === 'moneys'
            ? { prefix: currencySymbol(tenant.currency, locale) }
            : s.kind === 'percent'
              ? { suffix: '%' }
              : s.kind === 'discount'
                ? { suffix: t('units.discountSuffix') }
                : s.kind === 'multiplier'
                  ? { prefix: '×' }
                  : s.suffix
                    ? { suffix: t(s.suffix) }
                    : {};
        return (
          <UnitField
            {...common}
            {...adorn}
            inputMode={s.kind === 'currency' ? 'text' : s.kind === 'counts' || s.kind === 'moneys' ? 'text' : 'decimal'}
            value={value}
            error={errorOf(s)}
            onChange={(e) => set(s.id, e.target.value)}
          />
        );
      }
    }
  };

  const modelChanged = draft.qualificationModel !== initial.qualificationModel;
  const modelName = (m: string) => t(`settings.model.${m}` as MessageKey);
  // What a recompute can replay: the model and the growth rules (the rest applies from now on only).
  const replayable = changed.filter((s) => s.id === 'qualificationModel' || s.id.startsWith('growthRules.'));
  const replayInvalid = replayable.some((s) => errorOf(s) !== undefined);
  const recompute = useApiMutation({
    run: () => {
      const proposal: Record<string, unknown> = {};
      for (const s of replayable) {
        const p = parseField(s, draft[s.id] ?? '', locale);
        if (p.ok) setAt(proposal, s.id, p.value);
      }
      return unwrap(api.POST('/v1/recompute/preview', { body: proposal as Schemas['RecomputeProposal'] }));
    },
  });
  const offerAfter = replayable.some((s) => s.id === 'qualificationModel') ? 'tiers' : 'growth';
  const recomputeOffer =
    canWrite && replayable.length > 0 ? (
      <div className="flex flex-col gap-2 rounded-lg border border-indigo-200 bg-indigo-50 p-4" data-testid="recompute-offer">
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <p className="min-w-0 flex-1 text-sm text-indigo-900">{t('recompute.previewHelp')}</p>
          <Button
            variant="secondary"
            disabled={replayInvalid || recompute.isPending}
            aria-busy={recompute.isPending || undefined}
            onClick={() => recompute.mutate(undefined, { onSuccess: (q) => router.push(`/recompute/${q.id}`) })}
          >
            {t('recompute.previewEffect')}
          </Button>
        </div>
        {recompute.error ? <ErrorNote error={recompute.error} /> : null}
      </div>
    ) : null;
  return (
    <>
      {/* Every role reads the settings; owners and admins change and save them. */}
      <fieldset disabled={!canWrite} className="flex min-w-0 flex-col gap-4">
        {SECTIONS.map((sec) => (
          <Fragment key={sec.key}>
            <Section title={t(`settings.section.${sec.key}` as MessageKey)} help={t(`settings.section.${sec.key}.help` as MessageKey)}>
              {sec.fields.filter(visible).map(control)}
            </Section>
            {/* Right under the changed model or growth rules: what saving them does not do, and the preview that shows it. */}
            {sec.key === offerAfter ? recomputeOffer : null}
          </Fragment>
        ))}
      </fieldset>
      {problem ? (
        <div className="mt-4">
          <ProblemNote error={problem} />
        </div>
      ) : null}
      {canWrite ? (
        <StickySaveBar
          dirty={dirty}
          busy={busy}
          count={changed.length}
          onDiscard={() => {
            setDraft(initial);
            setServerErrors({});
            setProblem(null);
          }}
          onSave={() => {
            if (invalid) {
              showToast(t('settings.fixErrors'), 'error');
              return;
            }
            if (modelChanged) setConfirmModel(true);
            else void save();
          }}
        />
      ) : null}
      <ConfirmDialog
        open={confirmModel}
        title={t('settings.modelConfirm.title', { model: modelName(draft.qualificationModel ?? '') })}
        confirmLabel={t('settings.modelConfirm.confirm')}
        onClose={() => setConfirmModel(false)}
        onConfirm={async () => {
          setConfirmModel(false);
          await save();
        }}
      >
        <p>
          {t('settings.modelConfirm.body', {
            from: modelName(initial.qualificationModel ?? ''),
            to: modelName(draft.qualificationModel ?? ''),
          })}
        </p>
        <p className="mt-2">{t(`settings.modelConfirm.${draft.qualificationModel}` as MessageKey)}</p>
        <p className="mt-2 text-slate-500">{t('settings.modelConfirm.preview')}</p>
      </ConfirmDialog>
    </>
  );
}

export default function SettingsPage() {
  const { t, api } = useApp();
  const canWrite = useCan()('write');
  const client = useQueryClient();
  const program = useApiQuery(keys.program(), () => unwrap(api.GET('/v1/program')));
  const tiers = useApiQuery(keys.tiers(), () => unwrap(api.GET('/v1/tiers')));
  const [toast, showToast] = useToast();
  return (
    <>
      <PageTitle>{t('settings.title')}</PageTitle>
      <p className="-mt-4 mb-4 text-sm text-slate-600" data-testid="settings-intro">
        {canWrite ? t('settings.intro') : t('common.readOnly')}
      </p>
      <QueryView query={program} rows={8}>
        {(p) => (
          <Editor
            key={p.version}
            program={p}
            tiers={tiers.data?.data ?? []}
            // The saved program is the cache's from now on: the editor starts again from it.
            onSaved={(updated) => client.setQueryData(keys.program(), updated)}
            showToast={showToast}
          />
        )}
      </QueryView>
      {toast}
    </>
  );
}
