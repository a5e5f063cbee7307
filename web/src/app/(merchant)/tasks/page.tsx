'use client';
import { useState } from 'react';
import { CrudPage, type CrudSource } from '@/components/crud-page';
import { useApp, useCan } from '@/components/providers';
import { Button, Card, ErrorNote, Field, SubmitForm } from '@/components/ui';
import { QueryView } from '@/components/data-ui';
import { UnitField, unitErrorText } from '@/components/form';
import { TemplateChecklist, TemplateSelect, TierSelect, useTemplateOptions } from '@/components/pickers';
import { unwrap, type Schemas } from '@/lib/api';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';
import { currencySymbol, moneyInput, parseMoney } from '@/lib/units';
import type { MessageKey } from '@/i18n';

/** Nested objects come back with nulls (no activity type, no minimum): the API takes them absent. */
function withoutNulls(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
    else out[k] = v;
  }
  return out;
}

const source: CrudSource = {
  key: keys.tasks(),
  empty: { title: 'dash.tasks.emptyTitle', body: 'dash.tasks.emptyHelp' },
  list: (api, includeArchived) =>
    unwrap(api.GET('/v1/tasks', { params: { query: includeArchived ? { includeArchived: 'true' as const } : {} } })),
  create: (api, body) => unwrap(api.POST('/v1/tasks', { body: withoutNulls(body) as Schemas['TaskInput'] })),
  update: (api, code, body) =>
    unwrap(api.PATCH('/v1/tasks/{code}', { params: { path: { code } }, body: withoutNulls(body) as Schemas['TaskPatch'] })),
  archive: (api, code) => unwrap(api.DELETE('/v1/tasks/{code}', { params: { path: { code } } })),
};

const TYPES = ['daily', 'growth', 'special'] as const;
const EVENTS = ['order_completed', 'activity', 'check_in', 'referral_completed', 'profile_completed'] as const;
const REPEATS = ['once', 'daily', 'weekly', 'monthly'] as const;

export default function TasksPage() {
  const { t, money } = useApp();
  const templates = useTemplateOptions();
  const templateName = (code: string) => templates.options?.find((o) => o.value === code)?.label.split(' · ')[0] ?? code;
  return (
    <>
      <CrudPage
        title="tasks.title"
        wide
        source={source}
        fields={[
          // The name leads the list; the code (built-in tasks have system ones) is in the forms.
          { name: 'name', label: 'common.name', type: 'text', required: true },
          { name: 'code', label: 'common.code', type: 'text', required: true, immutable: true, formOnly: true },
          {
            name: 'type',
            label: 'tasks.type',
            type: 'select',
            options: TYPES.map((v) => ({ value: v, label: `tasks.type.${v}` as MessageKey })),
            show: (r) => t(`tasks.type.${String(r.type)}` as MessageKey),
          },
          {
            name: 'event',
            within: 'trigger',
            label: 'tasks.event',
            type: 'select',
            options: EVENTS.map((v) => ({ value: v, label: `tasks.event.${v}` as MessageKey })),
            formOnly: true,
          },
          { name: 'minAmountCents', within: 'trigger', label: 'tasks.minAmount', type: 'number', unit: 'money', formOnly: true },
          {
            name: 'trigger',
            label: 'tasks.event',
            type: 'text',
            listOnly: true,
            show: (r) => {
              const tr = r.trigger as { event: string; minAmountCents: number | null };
              return t(`tasks.event.${tr.event}` as MessageKey) + (tr.minAmountCents ? ` ≥ ${money(tr.minAmountCents)}` : '');
            },
          },
          { name: 'target', label: 'tasks.target', type: 'number', required: true },
          {
            name: 'repeat',
            label: 'tasks.repeat',
            type: 'select',
            options: REPEATS.map((v) => ({ value: v, label: `tasks.repeat.${v}` as MessageKey })),
            show: (r) => t(`tasks.repeat.${String(r.repeat)}` as MessageKey),
          },
          { name: 'points', within: 'reward', label: 'tasks.rewardPoints', type: 'number', formOnly: true },
          { name: 'growth', within: 'reward', label: 'tasks.rewardGrowth', type: 'number', formOnly: true },
          {
            name: 'couponTemplateCode',
            within: 'reward',
            label: 'tasks.rewardCoupon',
            type: 'select',
            formOnly: true,
            options: [{ value: '', label: 'pickers.noCoupon' }, ...(templates.options ?? []).map((o) => ({ value: o.value, text: o.label }))],
          },
          {
            name: 'reward',
            label: 'tasks.reward',
            type: 'text',
            listOnly: true,
            show: (r) => {
              const rw = r.reward as { points: number; growth: number; couponTemplateCode: string | null };
              const parts = [
                rw.points ? t('tasks.rewardPointsN', { n: rw.points }) : null,
                rw.growth ? t('tasks.rewardGrowthN', { n: rw.growth }) : null,
                rw.couponTemplateCode ? t('tasks.rewardCouponN', { code: templateName(rw.couponTemplateCode) }) : null,
              ].filter(Boolean);
              return parts.length ? parts.join(' · ') : t('tasks.rewardNone');
            },
          },
        ]}
      />
      <ReferralAndOnboarding />
    </>
  );
}

/** The referral and onboarding settings of the program (PATCH /v1/program). */
function ReferralAndOnboarding() {
  const { t, api, locale, tenant } = useApp();
  const canWrite = useCan()('write');
  const program = useApiQuery(keys.program(), () => unwrap(api.GET('/v1/program')));
  const [error, setError] = useState<Error | null>(null);
  const [minError, setMinError] = useState<string | undefined>();
  const save = useApiMutation({
    run: (body: Schemas['ProgramPatch']) => unwrap(api.PATCH('/v1/program', { body })),
    invalidate: () => [keys.program()],
    success: () => t('dash.tasks.referralSaved'),
  });
  return (
    <div className="mt-4">
      <Card title={t('tasks.referralOnboarding')}>
        <QueryView query={program}>
          {(p) => (
            <SubmitForm
              key={program.dataUpdatedAt}
              label={t('tasks.referralOnboarding')}
              onError={setError}
              onSubmit={async (d) => {
                const text = (k: string) => String(d.get(k) ?? '').trim();
                setMinError(undefined);
                const min = parseMoney(text('minFirstOrder') || '0');
                if (!min.ok) {
                  setMinError(unitErrorText(t, min.error));
                  return;
                }
                const body = {
                  referral: {
                    inviterPoints: Number(text('inviterPoints') || 0),
                    inviterGrowth: Number(text('inviterGrowth') || 0),
                    inviteeCouponTemplateCode: text('inviteeCoupon') || null,
                    minFirstOrderCents: min.value,
                  },
                  onboarding: {
                    trialTierCode: text('trialTier') || null,
                    trialDays: Number(text('trialDays') || 7),
                    welcomeCouponTemplateCodes: d.getAll('welcomeCoupons').map(String),
                  },
                } as unknown as Schemas['ProgramPatch'];
                await save.mutateAsync(body);
              }}
            >
              {canWrite ? null : <p className="text-sm text-slate-600">{t('common.readOnly')}</p>}
              {/* Shown to every role; changed and saved by owners and admins only. */}
              <fieldset disabled={!canWrite} className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2">
                <Field label={t('tasks.inviterPoints')} name="inviterPoints" type="number" min={0} defaultValue={p.referral.inviterPoints} />
                <Field label={t('tasks.inviterGrowth')} name="inviterGrowth" type="number" min={0} defaultValue={p.referral.inviterGrowth} />
                <TemplateSelect
                  label={t('tasks.inviteeCoupon')}
                  name="inviteeCoupon"
                  defaultValue={p.referral.inviteeCouponTemplateCode}
                  noneLabel={t('pickers.noCoupon')}
                  disabled={!canWrite}
                />
                <UnitField
                  label={t('tasks.minFirstOrder')}
                  name="minFirstOrder"
                  prefix={currencySymbol(tenant.currency, locale)}
                  defaultValue={moneyInput(p.referral.minFirstOrderCents)}
                  error={minError}
                  hint={t('dash.tasks.minFirstOrderHint')}
                />
                <TierSelect
                  label={t('tasks.trialTier')}
                  name="trialTier"
                  defaultValue={p.onboarding.trialTierCode}
                  noneLabel={t('pickers.noTrial')}
                  hint={t('tasks.trialTierHint')}
                  disabled={!canWrite}
                />
                <Field label={t('tasks.trialDays')} name="trialDays" type="number" min={1} max={90} defaultValue={p.onboarding.trialDays} />
                <div className="sm:col-span-2">
                  <TemplateChecklist
                    label={t('tasks.welcomeCoupons')}
                    name="welcomeCoupons"
                    defaultValue={p.onboarding.welcomeCouponTemplateCodes}
                    hint={t('tasks.welcomeCouponsHint')}
                    max={10}
                    disabled={!canWrite}
                  />
                </div>
              </fieldset>
              {error ? <ErrorNote error={error} /> : null}
              {canWrite ? (
                <div>
                  <Button type="submit" disabled={save.isPending}>
                    {save.isPending ? t('common.saving') : t('common.save')}
                  </Button>
                </div>
              ) : null}
            </SubmitForm>
          )}
        </QueryView>
      </Card>
    </div>
  );
}
