'use client';
import { useState } from 'react';
import { useApp, useCan } from '@/components/providers';
import { Button, Card, ErrorNote, Field, PageTitle, Select, SubmitForm } from '@/components/ui';
import { DataList, EmptyState, QueryView } from '@/components/data-ui';
import { unwrap } from '@/lib/api';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';

const CHANNELS = ['online', 'store', 'delivery', 'miniprogram'] as const;

export default function StoresPage() {
  const { t, api, dateTime, label } = useApp();
  const canWrite = useCan()('write');
  const stores = useApiQuery(keys.stores(), () => unwrap(api.GET('/v1/stores', { params: { query: { limit: 200 } } })));
  const [error, setError] = useState<Error | null>(null);
  const create = useApiMutation({
    run: (body: { code: string; name: string; channel: (typeof CHANNELS)[number] }) => unwrap(api.POST('/v1/stores', { body })),
    invalidate: () => [keys.stores()],
    success: (s) => t('dash.stores.created', { name: s.name }),
  });
  return (
    <>
      <PageTitle>{t('stores.title')}</PageTitle>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className={canWrite ? 'min-w-0 lg:col-span-2' : 'min-w-0 lg:col-span-3'}>
          <QueryView query={stores}>
            {(s) =>
              s.data.length === 0 ? (
                <EmptyState title={t('dash.stores.emptyTitle')} body={t('dash.stores.emptyHelp')} />
              ) : (
                <DataList
                  rows={s.data}
                  rowKey={(x) => x.id}
                  caption={t('stores.title')}
                  columns={[
                    { label: t('common.name'), cell: (x) => x.name },
                    { label: t('common.code'), cell: (x) => <span className="font-mono">{x.code}</span> },
                    { label: t('stores.channel'), cell: (x) => label('Channel', x.channel) },
                    { label: t('common.created'), cell: (x) => dateTime(x.createdAt) },
                  ]}
                />
              )
            }
          </QueryView>
        </Card>
        {canWrite ? (
          <Card title={t('stores.add')}>
            <SubmitForm
              onError={setError}
              onSubmit={async (d, form) => {
                await create.mutateAsync({
                  code: String(d.get('code')),
                  name: String(d.get('name')),
                  channel: d.get('channel') as (typeof CHANNELS)[number],
                });
                form.reset();
              }}
            >
              <Field label={t('common.code')} name="code" required maxLength={64} hint={t('dash.stores.codeHint')} />
              <Field label={t('common.name')} name="name" required maxLength={100} />
              <Select label={t('stores.channel')} name="channel" defaultValue="online">
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {label('Channel', c)}
                  </option>
                ))}
              </Select>
              {error ? <ErrorNote error={error} /> : null}
              <Button type="submit">{t('common.create')}</Button>
            </SubmitForm>
          </Card>
        ) : null}
      </div>
    </>
  );
}
