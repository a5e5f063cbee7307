'use client';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { useApp, useCan } from '@/components/providers';
import { Badge, Button, Card, ConfirmDialog, ErrorNote, Field, PageTitle, Select, SubmitForm, Table, Td } from '@/components/ui';
import { EmptyState, QueryView } from '@/components/data-ui';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';
import { grantInWords, type GrantLike } from '@/components/benefit-words';
import type { MessageKey } from '@/i18n';
import { unwrap, type Schemas } from '@/lib/api';
import { formatDiscount, formatMultiplier } from '@/lib/units';

const WEEKDAYS_EN = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const WEEKDAYS_ZH = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const CATEGORIES = ['shopping', 'service', 'activity', 'exclusive'] as const;
const KINDS = ['coupon_pack', 'service', 'gift', 'access'] as const;
const PERS = ['day', 'week', 'month', 'quarter', 'year'] as const;

type Benefit = Schemas['Benefit'];
interface GrantRow {
  key: number;
  source: string; // "tier:gold" | "plan:PLUS"
  exactTier: boolean;
  count: string;
  per: GrantLike['per'];
}

let nextKey = 1;
const toRows = (b?: Benefit): GrantRow[] =>
  (b?.grants ?? []).map((g) => ({
    key: nextKey++,
    source: g.tier ? `tier:${g.tier}` : `plan:${g.plan}`,
    exactTier: g.exactTier,
    count: g.count === null ? '' : String(g.count),
    per: g.per,
  }));
const fromRows = (rows: GrantRow[]) =>
  rows.map((r) => {
    const [kind, code] = r.source.split(':') as [string, string];
    return {
      ...(kind === 'tier' ? { tier: code, ...(r.exactTier ? { exactTier: true } : {}) } : { plan: code }),
      ...(r.count.trim() !== '' ? { count: Number(r.count) } : {}),
      per: r.per,
    };
  });

function GrantsEditor({
  rows,
  setRows,
  sources,
}: {
  rows: GrantRow[];
  setRows: (r: GrantRow[]) => void;
  sources: { value: string; label: string }[];
}) {
  const { t } = useApp();
  const change = (key: number, patch: Partial<GrantRow>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-700">{t('catalog.grants')}</legend>
      {rows.length === 0 ? <p className="text-sm text-slate-500">{t('catalog.noGrants')}</p> : null}
      {rows.map((r, i) => (
        <div key={r.key} className="grid grid-cols-1 items-end gap-2 sm:grid-cols-5" data-testid={`grant-${i}`}>
          <Select label={t('catalog.grantSource')} value={r.source} onChange={(e) => change(r.key, { source: e.target.value })}>
            {sources.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </Select>
          <Field
            label={t('catalog.grantCount')}
            type="number"
            min={1}
            value={r.count}
            onChange={(e) => change(r.key, { count: e.target.value })}
          />
          <Select label={t('catalog.grantPer')} value={r.per} onChange={(e) => change(r.key, { per: e.target.value as GrantRow['per'] })}>
            {PERS.map((p) => (
              <option key={p} value={p}>
                {t(`catalog.per.${p}` as MessageKey)}
              </option>
            ))}
          </Select>
          <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={r.exactTier}
              disabled={!r.source.startsWith('tier:')}
              onChange={(e) => change(r.key, { exactTier: e.target.checked })}
            />
            {t('catalog.exactTier')}
          </label>
          <Button variant="secondary" onClick={() => setRows(rows.filter((x) => x.key !== r.key))}>
            {t('catalog.removeGrant')}
          </Button>
        </div>
      ))}
      <div>
        <Button
          variant="secondary"
          onClick={() => setRows([...rows, { key: nextKey++, source: sources[0]?.value ?? '', exactTier: false, count: '', per: 'month' }])}
          disabled={sources.length === 0}
        >
          {t('catalog.addGrant')}
        </Button>
      </div>
    </fieldset>
  );
}

function BenefitForm({
  editing,
  sources,
  templates,
  onDone,
}: {
  editing: Benefit | null;
  sources: { value: string; label: string }[];
  templates: { code: string; name: string }[];
  onDone: () => void;
}) {
  const { t, api } = useApp();
  // A save reads the catalogue (and its usage) again and says so in a toast.
  const save = useApiMutation({
    run: (v: { code: string; create: boolean; body: Schemas['BenefitInput'] | Schemas['BenefitPatch'] }) =>
      v.create
        ? unwrap(api.POST('/v1/benefits', { body: v.body as Schemas['BenefitInput'] }))
        : unwrap(api.PATCH('/v1/benefits/{code}', { params: { path: { code: v.code } }, body: v.body as Schemas['BenefitPatch'] })),
    invalidate: () => [keys.benefits()],
    success: (_, v) => t(v.create ? 'catalogue.created' : 'catalogue.saved', { code: v.code }),
  });
  const [rows, setRows] = useState<GrantRow[]>(() => toRows(editing ?? undefined));
  const [kind, setKind] = useState<string>(editing?.kind ?? 'service');
  const [error, setError] = useState<Error | null>(null);
  return (
    <SubmitForm
      label={editing ? t('catalogue.editCode', { code: editing.code }) : t('catalog.add')}
      onError={setError}
      onSubmit={async (data, form) => {
        const text = (k: string) => String(data.get(k) ?? '').trim();
        const template = text('couponTemplateCode');
        const common = {
          name: text('name'),
          description: text('description') || (editing ? null : undefined),
          category: text('category') as Benefit['category'],
          kind: kind as Benefit['kind'],
          couponTemplateCode: kind === 'coupon_pack' ? template || null : editing ? null : undefined,
          grants: fromRows(rows),
        };
        if (editing) {
          await save.mutateAsync({ code: editing.code, create: false, body: common as Schemas['BenefitPatch'] });
          onDone();
        } else {
          const body = { code: text('code'), ...common } as Schemas['BenefitInput'];
          await save.mutateAsync({ code: body.code, create: true, body });
          form.reset();
          setRows([]);
          setKind('service');
          onDone();
        }
      }}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {editing ? null : <Field label={t('common.code')} name="code" required />}
        <Field label={t('common.name')} name="name" required defaultValue={editing?.name} />
        <Field label={t('catalog.description')} name="description" defaultValue={editing?.description ?? ''} />
        <Select label={t('catalog.category')} name="category" defaultValue={editing?.category ?? 'shopping'}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`catalog.category.${c}` as MessageKey)}
            </option>
          ))}
        </Select>
        <Select label={t('catalog.kind')} value={kind} onChange={(e) => setKind(e.target.value)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`catalog.kind.${k}` as MessageKey)}
            </option>
          ))}
        </Select>
        {kind === 'coupon_pack' ? (
          <Select label={t('catalog.template')} name="couponTemplateCode" defaultValue={editing?.couponTemplateCode ?? ''}>
            <option value="">{t('catalog.templateNone')}</option>
            {templates.map((x) => (
              <option key={x.code} value={x.code}>
                {x.name}
              </option>
            ))}
          </Select>
        ) : null}
      </div>
      <GrantsEditor rows={rows} setRows={setRows} sources={sources} />
      {error ? <ErrorNote error={error} /> : null}
      <div>
        <Button type="submit">{editing ? t('common.save') : t('common.create')}</Button>
      </div>
    </SubmitForm>
  );
}

function PricingBenefits() {
  const { t, api, money, locale } = useApp();
  const canWrite = useCan()('write');
  const tiers = useApiQuery(keys.tiers(), () => unwrap(api.GET('/v1/tiers')));
  const yes = (b: boolean | undefined) => (b ? t('common.yes') : t('common.no'));
  const days = locale === 'zh-CN' ? WEEKDAYS_ZH : WEEKDAYS_EN;
  return (
    <Card title={t('catalog.pricingTitle')}>
      {canWrite ? (
        <p className="mb-4 text-sm text-slate-600">
          <Link href="/tiers" className="text-indigo-700 underline">
            {t('benefits.editHint')}
          </Link>
        </p>
      ) : null}
      <QueryView query={tiers}>
        {(d) => (
          <Table
            head={[
              t('members.tier'),
              t('benefits.discount'),
              t('benefits.multiplier'),
              t('benefits.freeShipping'),
              t('benefits.memberDay'),
              t('benefits.exclusive'),
              t('benefits.priority'),
              t('benefits.fastRefund'),
            ]}
          >
            {d.data.map((x) => {
              const b = x.benefits;
              return (
                <tr key={x.code}>
                  <Td className="font-medium">{x.name}</Td>
                  <Td>{b.discountBps !== undefined ? (formatDiscount(b.discountBps, locale) ?? t('units.noDiscount')) : '—'}</Td>
                  <Td>{b.pointsMultiplierBps !== undefined ? formatMultiplier(b.pointsMultiplierBps) : '—'}</Td>
                  <Td>
                    {b.freeShippingThresholdCents === undefined || b.freeShippingThresholdCents === null
                      ? '—'
                      : b.freeShippingThresholdCents === 0
                        ? t('benefits.always')
                        : t('benefits.from', { amount: money(b.freeShippingThresholdCents) })}
                  </Td>
                  <Td>
                    {b.memberDay
                      ? `${b.memberDay.weekdays.map((w) => days[w]).join(', ')} · ${formatDiscount(b.memberDay.discountBps ?? 10000, locale) ?? t('units.noDiscount')}`
                      : '—'}
                  </Td>
                  <Td>{yes(b.exclusiveAccess)}</Td>
                  <Td>
                    {yes(b.prioritySupport)} / {yes(b.priorityDelivery)}
                  </Td>
                  <Td>{yes(b.fastRefund)}</Td>
                </tr>
              );
            })}
          </Table>
        )}
      </QueryView>
    </Card>
  );
}

export default function BenefitsPage() {
  const { t, api, money } = useApp();
  const canWrite = useCan()('write');
  const [showArchived, setShowArchived] = useState(false);
  const [editing, setEditing] = useState<Benefit | null>(null);
  const [archiving, setArchiving] = useState<Benefit | null>(null);
  // What a grant may name (tiers, plans) and a pack may hand out (templates), each cached under
  // its own resource so a change on the ladder or the catalogue pages shows here too.
  const tiers = useApiQuery(keys.tiers(), () => unwrap(api.GET('/v1/tiers')));
  const plans = useApiQuery(keys.catalogue(keys.plans(), false), () => unwrap(api.GET('/v1/plans')));
  const templates = useApiQuery(keys.couponTemplates(), () => unwrap(api.GET('/v1/coupon-templates', { params: { query: { limit: 200 } } })));
  const list = useApiQuery([...keys.benefits(), { includeArchived: showArchived }], async () => {
    const [benefits, usage] = await Promise.all([
      unwrap(api.GET('/v1/benefits', { params: { query: showArchived ? { includeArchived: 'true' as const } : {} } })),
      unwrap(api.GET('/v1/analytics/benefits', { params: { query: {} } })),
    ]);
    return { benefits: benefits.data, usage: new Map(usage.benefits.map((u) => [u.benefitCode, u])) };
  });
  const archive = useApiMutation({
    run: (code: string) => unwrap(api.DELETE('/v1/benefits/{code}', { params: { path: { code } } })),
    invalidate: () => [keys.benefits()],
    success: (_, code) => t('catalogue.archivedNote', { code }),
  });
  const names = useMemo(
    () => ({
      tiers: new Map((tiers.data?.data ?? []).map((x) => [x.code, x.name])),
      plans: new Map((plans.data?.data ?? []).map((x) => [x.code, x.name])),
    }),
    [tiers.data, plans.data],
  );
  const sources = useMemo(
    () => [
      ...(tiers.data?.data ?? []).map((x) => ({ value: `tier:${x.code}`, label: x.name })),
      ...(plans.data?.data ?? []).map((x) => ({ value: `plan:${x.code}`, label: x.name })),
    ],
    [tiers.data, plans.data],
  );
  const refsReady = tiers.data !== undefined && plans.data !== undefined && templates.data !== undefined;
  const done = () => setEditing(null);
  return (
    <>
      <PageTitle>{t('catalog.title')}</PageTitle>
      <p className="mb-4 text-sm text-slate-600">{t('catalog.intro')}</p>
      <div className="flex flex-col gap-4">
        <Card>
          <label className="mb-3 flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
            {t('catalogue.showArchived')}
          </label>
          <QueryView query={list}>
            {(d) =>
              d.benefits.length === 0 ? (
                <EmptyState
                  title={t(showArchived ? 'dash.benefits.emptyArchived' : 'dash.benefits.emptyTitle')}
                  body={canWrite ? t('dash.benefits.emptyHelp') : t('dash.empty.readOnly')}
                />
              ) : (
              <Table
                head={[
                  t('common.name'),
                  t('catalog.kind'),
                  t('catalog.grants'),
                  t('catalog.uses'),
                  t('catalog.usedBy'),
                  t('catalog.value'),
                  t('catalog.rate'),
                  ...(canWrite ? [t('common.actions')] : []),
                ]}
              >
                {d.benefits.map((b) => {
                  const u = d.usage.get(b.code);
                  return (
                    <tr key={b.code} data-testid={`benefit-${b.code}`}>
                      <Td className="font-medium">
                        {b.name} {b.archivedAt ? <Badge>{t('catalogue.archived')}</Badge> : null}
                        <div className="text-xs text-slate-500">{t(`catalog.category.${b.category}` as MessageKey)}</div>
                      </Td>
                      <Td>{t(`catalog.kind.${b.kind}` as MessageKey)}</Td>
                      <Td>
                        <ul>
                          {b.grants.map((g, i) => (
                            <li key={i}>{grantInWords(t, g, names, b.kind === 'coupon_pack')}</li>
                          ))}
                        </ul>
                      </Td>
                      <Td>{u?.uses ?? 0}</Td>
                      <Td>{u?.members ?? 0}</Td>
                      <Td>{money(u?.valueCents ?? 0)}</Td>
                      <Td>{`${((u?.usageRateBps ?? 0) / 100).toFixed(1)}%`}</Td>
                      {canWrite ? (
                        <Td>
                          {b.archivedAt ? null : (
                            <div className="flex gap-2">
                              <Button
                                variant="secondary"
                                onClick={() => setEditing(b)}
                                aria-label={t('catalogue.editCode', { code: b.code })}
                              >
                                {t('catalogue.edit')}
                              </Button>
                              <Button
                                variant="secondary"
                                onClick={() => setArchiving(b)}
                                aria-label={t('catalogue.archiveCode', { code: b.code })}
                              >
                                {t('catalogue.archive')}
                              </Button>
                            </div>
                          )}
                        </Td>
                      ) : null}
                    </tr>
                  );
                })}
              </Table>
              )
            }
          </QueryView>
        </Card>
        {canWrite ? (
          <QueryView query={{ data: refsReady ? { templates: templates.data!.data } : undefined, error: tiers.error ?? plans.error ?? templates.error, isPending: !refsReady, refetch: () => Promise.all([tiers.refetch(), plans.refetch(), templates.refetch()]) }}>
            {(r) => (
              <>
                {editing ? (
                  <Card title={t('catalogue.editCode', { code: editing.code })}>
                    <BenefitForm key={editing.code} editing={editing} sources={sources} templates={r.templates} onDone={done} />
                    <div className="mt-2">
                      <Button variant="secondary" onClick={() => setEditing(null)}>
                        {t('common.cancel')}
                      </Button>
                    </div>
                  </Card>
                ) : null}
                <Card title={t('catalog.add')}>
                  <BenefitForm editing={null} sources={sources} templates={r.templates} onDone={done} />
                </Card>
              </>
            )}
          </QueryView>
        ) : null}
        <PricingBenefits />
      </div>
      <ConfirmDialog
        open={canWrite && archiving !== null}
        title={t('catalogue.confirmArchive', { code: archiving?.code ?? '' })}
        confirmLabel={t('catalogue.archive')}
        onClose={() => setArchiving(null)}
        onConfirm={async () => {
          await archive.mutateAsync(archiving!.code);
          setArchiving(null);
        }}
      >
        {t('catalog.archiveHelp')}
      </ConfirmDialog>
    </>
  );
}
