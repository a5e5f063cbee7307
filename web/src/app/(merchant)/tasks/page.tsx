'use client';
import { useState } from 'react';
import { CrudPage, type CrudSource } from '@/components/crud-page';
import { useApp, useCan, useLoad } from '@/components/providers';
import { Async, Card, Field, SaveBar } from '@/components/ui';
import { unwrap, type Schemas } from '@/lib/api';
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
  return (
    <>
      <CrudPage
        title="tasks.title"
        source={source}
        fields={[
          { name: 'code', label: 'common.code', type: 'text', required: true, immutable: true },
          { name: 'name', label: 'common.name', type: 'text', required: true },
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
          { name: 'couponTemplateCode', within: 'reward', label: 'tasks.rewardCoupon', type: 'text', formOnly: true },
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
                rw.couponTemplateCode ? t('tasks.rewardCouponN', { code: rw.couponTemplateCode }) : null,
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
  const { t, api } = useApp();
  const canWrite = useCan()('write');
  const program = useLoad(() => unwrap(api.GET('/v1/program')), []);
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState(false);
  return (
    <div className="mt-4">
      <Async state={program}>
        {(p) => (
          <Card title={t('tasks.referralOnboarding')}>
            <form
              aria-label={t('tasks.referralOnboarding')}
              className="grid max-w-2xl gap-4 sm:grid-cols-2"
              onSubmit={async (e) => {
                e.preventDefault();
                const d = new FormData(e.currentTarget);
                const text = (k: string) => String(d.get(k) ?? '').trim();
                setError(null);
                setSaved(false);
                try {
                  const body = {
                    referral: {
                      inviterPoints: Number(text('inviterPoints') || 0),
                      inviterGrowth: Number(text('inviterGrowth') || 0),
                      inviteeCouponTemplateCode: text('inviteeCoupon') || null,
                      minFirstOrderCents: Math.round(Number(text('minFirstOrder') || 0) * 100),
                    },
                    onboarding: {
                      trialTierCode: text('trialTier') || null,
                      trialDays: Number(text('trialDays') || 7),
                      welcomeCouponTemplateCodes: text('welcomeCoupons')
                        .split(/[,，\s]+/)
                        .filter(Boolean),
                    },
                  } as unknown as Schemas['ProgramPatch'];
                  await unwrap(api.PATCH('/v1/program', { body }));
                  setSaved(true);
                  program.reload();
                } catch (err) {
                  setError(err as Error);
                }
              }}
            >
              {/* Shown to every role; changed and saved by owners and admins only. */}
              <fieldset disabled={!canWrite} className="contents">
                <Field
                  label={t('tasks.inviterPoints')}
                  name="inviterPoints"
                  type="number"
                  min={0}
                  defaultValue={p.referral.inviterPoints}
                />
                <Field
                  label={t('tasks.inviterGrowth')}
                  name="inviterGrowth"
                  type="number"
                  min={0}
                  defaultValue={p.referral.inviterGrowth}
                />
                <Field label={t('tasks.inviteeCoupon')} name="inviteeCoupon" defaultValue={p.referral.inviteeCouponTemplateCode ?? ''} />
                <Field
                  label={t('tasks.minFirstOrder')}
                  name="minFirstOrder"
                  type="number"
                  min={0}
                  step="0.01"
                  defaultValue={(p.referral.minFirstOrderCents / 100).toFixed(2)}
                />
                <Field
                  label={t('tasks.trialTier')}
                  name="trialTier"
                  defaultValue={p.onboarding.trialTierCode ?? ''}
                  hint={t('tasks.trialTierHint')}
                />
                <Field label={t('tasks.trialDays')} name="trialDays" type="number" min={1} max={90} defaultValue={p.onboarding.trialDays} />
                <Field
                  label={t('tasks.welcomeCoupons')}
                  name="welcomeCoupons"
                  defaultValue={p.onboarding.welcomeCouponTemplateCodes.join(', ')}
                  hint={t('tasks.welcomeCouponsHint')}
                />
              </fieldset>
              {canWrite ? <SaveBar error={error} saved={saved} /> : null}
            </form>
          </Card>
        )}
      </Async>
    </div>
  );
}
