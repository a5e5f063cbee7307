'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { useApp, useCan } from '@/components/providers';
import { Button, Card, ErrorNote, Field, PageTitle, Select } from '@/components/ui';
import { DataList, EmptyState, QueryView } from '@/components/data-ui';
import { DateField } from '@/components/date-field';
import { ApiError, enumValues, unwrap, type paths, type Schemas } from '@/lib/api';
import { diffFields, formatValue, type ValueFormat } from '@/lib/audit-diff';
import { localDayStart, nextDay } from '@/lib/dates';
import { fieldLabel } from '@/i18n/fields';
import type { Locale, MessageKey } from '@/i18n';
import { ENUM_LABELS, enumLabel, hasEnumLabel, type EnumName } from '@/i18n/enums';
import { keys, useApiQuery, useCursorQuery, useUrlFilters } from '@/lib/query';

type Entry = Schemas['AuditEntry'];
type Query = NonNullable<paths['/v1/audit']['get']['parameters']['query']>;

const FILTERS = ['actor', 'kind', 'action', 'member', 'from', 'to'] as const;
/** Changes shown per entry before "show all". */
const FIRST_CHANGES = 6;
const TARGETS = new Set([
  'api_key',
  'benefit',
  'campaign',
  'campaign_application',
  'coupon_template',
  'member',
  'plan',
  'program',
  'retention_run',
  'reward',
  'store',
  'task',
  'tenant',
  'tier',
  'tiers',
  'user',
  'webhook',
  'webhook_delivery',
]);

/** Fields whose values are one API enum; other values are looked up in every dictionary. */
const FIELD_ENUM: Record<string, EnumName[]> = {
  role: ['Role'],
  clawback: ['Clawback'],
  qualificationModel: ['QualificationModel'],
  channel: ['Channel'],
  category: ['CatalogueCategory'],
  per: ['QuotaPer'],
  language: ['Language'],
  repeat: ['TaskRepeat'],
  event: ['TaskTrigger'],
  activityType: ['ActivityType'],
  profileRequiredFields: ['ProfileField'],
  reason: ['TierChangeReason'],
  status: [
    'TenantStatus',
    'UserStatus',
    'RetentionRunStatus',
    'DeliveryStatus',
    'CouponStatus',
    'ReferralStatus',
    'ApplicationStatus',
    'OrderStatus',
  ],
  period: ['RetentionPeriod', 'PlanPeriod'],
  kind: ['CouponKind', 'CatalogueKind', 'CampaignKind', 'ImportKind'],
  type: ['TaskType'],
};
const DICTIONARIES = Object.keys(ENUM_LABELS.en) as EnumName[];

/** A value of `field` in words when it is an API enum value (never a free text such as a name). */
function enumText(locale: Locale, field: string, value: string): string | undefined {
  const own = FIELD_ENUM[field]?.find((d) => hasEnumLabel(d, value));
  if (own) return enumLabel(locale, own, value);
  if (FIELD_ENUM[field]) return undefined;
  // Codes only (snake_case or dotted): a name or a reason typed by a person stays as it is.
  if (!/^[a-z]+([_.][a-z]+)+$/.test(value)) return undefined;
  const dict = DICTIONARIES.find((d) => d !== 'ErrorCode' && hasEnumLabel(d, value));
  return dict ? enumLabel(locale, dict, value) : undefined;
}

/** The filters of the URL as the API's query: the actor split, the local days as instants of the tenant's zone. */
function auditQuery(f: Record<(typeof FILTERS)[number], string>, timeZone: string): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.actor) {
    const [type, id] = f.actor.split(':') as [string, string | undefined];
    q.actorType = type;
    if (id) q.actorId = id;
  }
  if (f.action) q.action = f.action;
  else if (f.kind) q.kind = f.kind;
  if (f.member.trim()) q.member = f.member.trim();
  if (f.from) q.from = localDayStart(f.from, timeZone);
  if (f.to) q.to = localDayStart(nextDay(f.to), timeZone);
  return q;
}

function Changes({ entry, format }: { entry: Entry; format: ValueFormat }) {
  const { t, locale } = useApp();
  const [all, setAll] = useState(false);
  const changes = useMemo(() => diffFields(entry.before, entry.after), [entry]);
  if (changes.length === 0) return <span className="text-slate-500">—</span>;
  const shown = all ? changes : changes.slice(0, FIRST_CHANGES);
  return (
    <div className="min-w-0">
      <ul className="flex flex-col gap-1" data-testid="audit-changes">
        {shown.map((c) => {
          const field = c.path[c.path.length - 1] ?? '';
          return (
            <li key={c.path.join('.')} className="min-w-0 break-words">
              <span className="font-medium text-slate-700">
                {c.path.length ? c.path.map((p) => fieldLabel(locale, p)).join(' › ') : t('dash.audit.value')}
              </span>
              <span className="text-slate-500">{locale === 'zh-CN' ? '：' : ': '}</span>
              {c.before !== undefined ? (
                <>
                  <span className="text-slate-500 line-through decoration-slate-400">{formatValue(field, c.before, format)}</span>
                  <span aria-label={t('dash.audit.became')} className="px-1 text-slate-400">
                    →
                  </span>
                </>
              ) : null}
              {c.after !== undefined ? (
                <span className="text-slate-900">{formatValue(field, c.after, format)}</span>
              ) : (
                <span className="text-slate-500">{t('dash.audit.removed')}</span>
              )}
            </li>
          );
        })}
      </ul>
      {changes.length > FIRST_CHANGES ? (
        <button type="button" className="mt-1 text-xs text-indigo-700 underline" onClick={() => setAll((x) => !x)}>
          {all ? t('dash.audit.fewer') : t('dash.audit.allChanges', { n: changes.length })}
        </button>
      ) : null}
    </div>
  );
}

export default function AuditPage() {
  const { t, api, dateTime, label, locale, money, num, tenant } = useApp();
  const canWrite = useCan()('write');
  const { values: f, set } = useUrlFilters(FILTERS);
  const query = useMemo(() => auditQuery(f, tenant.timezone), [f, tenant.timezone]);
  const list = useCursorQuery<Entry>(keys.audit(query), (cursor) =>
    unwrap(api.GET('/v1/audit', { params: { query: { limit: 50, ...query, ...(cursor ? { cursor } : {}) } as Query } })),
  );
  // Who a user id is (owners and admins may list users); the others read the kind of actor.
  const users = useApiQuery(keys.users(), () => unwrap(api.GET('/v1/users', { params: { query: { limit: 200 } } })), { enabled: canWrite });
  const userEmail = (id: string | null) => users.data?.data.find((u) => u.id === id)?.email;
  const [member, setMember] = useState(f.member);
  const filtered = FILTERS.some((k) => f[k]);
  const format: ValueFormat = {
    locale,
    money,
    num,
    dateTime: (iso) => dateTime(iso),
    yes: t('common.yes'),
    no: t('common.no'),
    none: '—',
    enumText: (field, v) => enumText(locale, field, v),
    fieldWord: (name) => fieldLabel(locale, name),
  };
  const actions = (f.kind ? enumValues.AuditAction.filter((a) => a.startsWith(`${f.kind}.`)) : enumValues.AuditAction)
    .map((a) => ({ value: a, text: label('AuditAction', a) }))
    .sort((a, b) => a.text.localeCompare(b.text, locale));
  const kinds = enumValues.AuditKind.map((k) => ({ value: k, text: label('AuditKind', k) })).sort((a, b) =>
    a.text.localeCompare(b.text, locale),
  );
  const actor = (e: Entry): ReactNode => {
    const email = e.actor.type === 'user' ? userEmail(e.actor.id) : undefined;
    return (
      <>
        <span className="break-all">{email ?? label('AuditActorType', e.actor.type)}</span>
        {email ? <span className="block text-xs text-slate-500">{label('AuditActorType', e.actor.type)}</span> : null}
      </>
    );
  };
  const target = (e: Entry) =>
    e.target.type
      ? TARGETS.has(e.target.type)
        ? t(`dash.audit.target.${e.target.type}` as MessageKey)
        : hasEnumLabel('AuditKind', e.target.type)
          ? label('AuditKind', e.target.type)
          : e.target.type.replace(/_/g, ' ')
      : '—';
  const notFound = list.error instanceof ApiError && list.error.status === 404 && f.member;

  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <Card className="mb-4">
        <form
          role="search"
          aria-label={t('dash.audit.filters')}
          className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-6"
          onSubmit={(e) => {
            e.preventDefault();
            set({ member: member.trim() });
          }}
        >
          <Select label={t('audit.actor')} value={f.actor} onChange={(e) => set({ actor: e.target.value })}>
            <option value="">{t('dash.audit.anyone')}</option>
            {(users.data?.data ?? []).map((u) => (
              <option key={u.id} value={`user:${u.id}`}>
                {u.email}
              </option>
            ))}
            {enumValues.AuditActorType.map((a) => (
              <option key={a} value={a}>
                {t('dash.audit.everyOf', { kind: label('AuditActorType', a) })}
              </option>
            ))}
          </Select>
          <Select label={t('dash.audit.kind')} value={f.kind} onChange={(e) => set({ kind: e.target.value, action: '' })}>
            <option value="">{t('dash.audit.anyKind')}</option>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.text}
              </option>
            ))}
          </Select>
          <Select label={t('audit.action')} value={f.action} onChange={(e) => set({ action: e.target.value })}>
            <option value="">{t('dash.audit.anyAction')}</option>
            {actions.map((a) => (
              <option key={a.value} value={a.value}>
                {a.text}
              </option>
            ))}
          </Select>
          <Field
            label={t('dash.audit.member')}
            placeholder={t('dash.audit.memberPlaceholder')}
            value={member}
            onChange={(e) => setMember(e.target.value)}
            onBlur={() => member.trim() !== f.member && set({ member: member.trim() })}
          />
          <DateField label={t('dash.overview.from')} value={f.from} max={f.to || undefined} onChange={(v) => set({ from: v })} />
          <DateField label={t('dash.overview.to')} value={f.to} min={f.from || undefined} onChange={(v) => set({ to: v })} />
          <div className="flex flex-wrap gap-2 sm:col-span-2 lg:col-span-3 xl:col-span-6">
            <Button type="submit" variant="secondary">
              {t('dash.audit.apply')}
            </Button>
            {filtered ? (
              <Button
                variant="secondary"
                onClick={() => {
                  setMember('');
                  set({ actor: '', kind: '', action: '', member: '', from: '', to: '' });
                }}
              >
                {t('dash.audit.clear')}
              </Button>
            ) : null}
          </div>
        </form>
      </Card>
      <Card>
        {notFound ? (
          <EmptyState title={t('dash.audit.noMember', { member: f.member })} body={t('dash.audit.noMemberHelp')} />
        ) : (
          <QueryView query={list} rows={8}>
            {() =>
              list.rows.length === 0 ? (
                filtered ? (
                  <EmptyState title={t('dash.audit.noMatch')} body={t('dash.audit.noMatchHelp')} />
                ) : (
                  <EmptyState title={t('dash.audit.emptyTitle')} body={t('dash.audit.emptyHelp')} />
                )
              ) : (
                <>
                  <DataList
                    rows={list.rows}
                    rowKey={(e) => e.id}
                    caption={t('audit.title')}
                    rowTestId={(e) => `entry-${e.action}`}
                    columns={[
                      { label: t('audit.action'), cell: (e) => <span className="font-medium">{label('AuditAction', e.action)}</span> },
                      { label: t('audit.when'), cell: (e) => <span className="whitespace-nowrap">{dateTime(e.createdAt)}</span> },
                      { label: t('audit.actor'), cell: actor },
                      { label: t('audit.target'), cell: (e) => target(e) },
                      { label: t('audit.change'), className: 'min-w-[16rem] max-w-md', cell: (e) => <Changes entry={e} format={format} /> },
                    ]}
                  />
                  {list.hasNextPage ? (
                    <div className="mt-3">
                      <Button variant="secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                        {t('common.more')}
                      </Button>
                      {list.isFetchNextPageError && list.error ? <ErrorNote error={list.error} /> : null}
                    </div>
                  ) : null}
                </>
              )
            }
          </QueryView>
        )}
      </Card>
    </>
  );
}
