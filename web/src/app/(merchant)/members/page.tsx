'use client';
import Link from 'next/link';
import { useState } from 'react';
import { MoreButton, useCursorList } from '@/components/cursor-list';
import { useApp, useLoad } from '@/components/providers';
import { Async, Badge, Button, Card, Field, PageTitle, Select, Table, Td } from '@/components/ui';
import { unwrap, type Schemas } from '@/lib/api';

type Member = Schemas['Member'];

export default function MembersPage() {
  const { t, api, num, date } = useApp();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [tier, setTier] = useState('');
  const tiers = useLoad(() => unwrap(api.GET('/v1/tiers')), []);
  const list = useCursorList<Member>(
    (cursor) =>
      unwrap(
        api.GET('/v1/members', {
          params: { query: { limit: 50, ...(cursor ? { cursor } : {}), ...(q ? { q } : {}), ...(tier ? { tier } : {}) } },
        }),
      ),
    [q, tier],
  );
  return (
    <>
      <PageTitle>{t('members.title')}</PageTitle>
      <Card className="mb-4">
        <form
          role="search"
          className="flex flex-col gap-3 sm:flex-row sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            setQ(draft.trim());
          }}
        >
          <div className="flex-1">
            <Field label={t('members.search')} type="search" name="q" value={draft} onChange={(e) => setDraft(e.target.value)} />
          </div>
          <Select label={t('members.tier')} value={tier} onChange={(e) => setTier(e.target.value)}>
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
        <Async state={list.first}>
          {() => {
            const rows = list.rows;
            if (rows.length === 0) return <p className="text-sm text-slate-600">{t('members.none')}</p>;
            return (
              <>
                <Table
                  head={[
                    t('members.unionId'),
                    t('member.phone'),
                    t('members.tier'),
                    t('members.points'),
                    t('members.growth'),
                    t('members.joined'),
                  ]}
                  caption={t('members.title')}
                >
                  {rows.map((m) => (
                    <tr key={m.id}>
                      <Td>
                        <Link className="font-medium text-indigo-700 underline" href={`/members/${encodeURIComponent(m.unionId)}`}>
                          {m.unionId}
                        </Link>
                        {m.profile.name ? <span className="ml-2 text-slate-500">{m.profile.name}</span> : null}
                      </Td>
                      <Td>{m.profile.phone ?? '—'}</Td>
                      <Td>
                        <Badge tone="indigo">{m.tier.name}</Badge>
                      </Td>
                      <Td>{num(m.points.balance)}</Td>
                      <Td>{num(m.growth.value)}</Td>
                      <Td>{date(m.createdAt)}</Td>
                    </tr>
                  ))}
                </Table>
                <MoreButton list={list} />
              </>
            );
          }}
        </Async>
      </Card>
    </>
  );
}
