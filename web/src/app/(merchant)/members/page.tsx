'use client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useApp, useCan } from '@/components/providers';
import { Badge, Button, Card, ErrorNote, Field, PageTitle, Select } from '@/components/ui';
import { ButtonLink, DataList, EmptyState, QueryView } from '@/components/data-ui';
import { unwrap, type Schemas } from '@/lib/api';
import { keys, useApiQuery, useCursorQuery, useUrlFilters } from '@/lib/query';

type Member = Schemas['Member'];
const FILTERS = ['q', 'tier'] as const;

export default function MembersPage() {
  const { t, api, num, date } = useApp();
  const canWrite = useCan()('write');
  // The search and the tier live in the URL: a link to /members?q=…&tier=… shows the same list.
  const { values, set } = useUrlFilters(FILTERS);
  const [draft, setDraft] = useState(values.q);
  useEffect(() => setDraft(values.q), [values.q]);
  const tiers = useApiQuery(keys.tiers(), () => unwrap(api.GET('/v1/tiers')));
  const list = useCursorQuery<Member>(keys.memberList(values), (cursor) =>
    unwrap(
      api.GET('/v1/members', {
        params: {
          query: {
            limit: 50,
            ...(cursor ? { cursor } : {}),
            ...(values.q ? { q: values.q } : {}),
            ...(values.tier ? { tier: values.tier } : {}),
          },
        },
      }),
    ),
  );
  const filtered = Boolean(values.q || values.tier);
  return (
    <>
      <PageTitle>{t('members.title')}</PageTitle>
      <Card className="mb-4">
        <form
          role="search"
          className="flex flex-col gap-3 sm:flex-row sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            set({ q: draft.trim() });
          }}
        >
          <div className="min-w-0 flex-1">
            <Field label={t('members.search')} type="search" name="q" value={draft} onChange={(e) => setDraft(e.target.value)} />
          </div>
          <Select label={t('members.tier')} value={values.tier} onChange={(e) => set({ tier: e.target.value })}>
            <option value="">{t('common.all')}</option>
            {tiers.data?.data.map((x) => (
              <option key={x.code} value={x.code}>
                {x.name}
              </option>
            ))}
          </Select>
          <Button type="submit">{t('common.search')}</Button>
        </form>
      </Card>
      <Card>
        <QueryView query={list} rows={6}>
          {() =>
            list.rows.length === 0 ? (
              filtered ? (
                <EmptyState
                  title={t('members.none')}
                  body={t('dash.members.noneFilteredHelp')}
                  action={
                    <Button variant="secondary" onClick={() => set({ q: '', tier: '' })}>
                      {t('dash.members.clearFilters')}
                    </Button>
                  }
                />
              ) : (
                <EmptyState
                  title={t('dash.members.emptyTitle')}
                  body={t('dash.members.emptyHelp')}
                  action={canWrite ? <ButtonLink href="/api-keys">{t('dash.members.emptyAction')}</ButtonLink> : undefined}
                />
              )
            ) : (
              <>
                <DataList
                  rows={list.rows}
                  rowKey={(m) => m.id}
                  caption={t('members.title')}
                  columns={[
                    {
                      label: t('members.unionId'),
                      cell: (m) => (
                        <>
                          <Link className="font-medium text-indigo-700 underline" href={`/members/${encodeURIComponent(m.unionId)}`}>
                            {m.unionId}
                          </Link>
                          {m.profile.name ? <span className="ml-2 text-slate-500">{m.profile.name}</span> : null}
                        </>
                      ),
                    },
                    { label: t('member.phone'), cell: (m) => m.profile.phone ?? '—' },
                    { label: t('members.tier'), cell: (m) => <Badge tone="indigo">{m.tier.name}</Badge> },
                    { label: t('members.points'), cell: (m) => num(m.points.balance) },
                    { label: t('members.growth'), cell: (m) => num(m.growth.value) },
                    { label: t('members.joined'), cell: (m) => date(m.createdAt) },
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
      </Card>
    </>
  );
}
