'use client';
import { useState } from 'react';
import { useApp, useLoad } from '@/components/providers';
import { Async, Button, Card, ErrorNote, Field, PageTitle, Select, Table, Td, SubmitForm } from '@/components/ui';
import { unwrap } from '@/lib/api';

const CHANNELS = ['online', 'store', 'delivery', 'miniprogram'] as const;

export default function StoresPage() {
  const { t, api, dateTime } = useApp();
  const stores = useLoad(() => unwrap(api.GET('/v1/stores', { params: { query: { limit: 200 } } })), []);
  const [error, setError] = useState<Error | null>(null);
  return (
    <>
      <PageTitle>{t('stores.title')}</PageTitle>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Async state={stores}>
            {(s) =>
              s.data.length === 0 ? (
                <p className="text-sm text-slate-500">{t('common.none')}</p>
              ) : (
                <Table head={[t('common.code'), t('common.name'), t('stores.channel'), t('common.created')]}>
                  {s.data.map((x) => (
                    <tr key={x.id}>
                      <Td className="font-mono">{x.code}</Td>
                      <Td>{x.name}</Td>
                      <Td>{t(`channel.${x.channel}`)}</Td>
                      <Td>{dateTime(x.createdAt)}</Td>
                    </tr>
                  ))}
                </Table>
              )
            }
          </Async>
        </Card>
        <Card title={t('stores.add')}>
          <SubmitForm
            onError={setError}
            onSubmit={async (d, form) => {
              await unwrap(
                api.POST('/v1/stores', {
                  body: {
                    code: String(d.get('code')),
                    name: String(d.get('name')),
                    channel: d.get('channel') as (typeof CHANNELS)[number],
                  },
                }),
              );
              form.reset();
              stores.reload();
            }}
          >
            <Field label={t('common.code')} name="code" required maxLength={64} />
            <Field label={t('common.name')} name="name" required maxLength={100} />
            <Select label={t('stores.channel')} name="channel" defaultValue="online">
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channel.${c}`)}
                </option>
              ))}
            </Select>
            {error ? <ErrorNote error={error} /> : null}
            <Button type="submit">{t('common.create')}</Button>
          </SubmitForm>
        </Card>
      </div>
    </>
  );
}
