'use client';
import { useState } from 'react';
import { useApp, useCan } from '@/components/providers';
import { Badge, Button, Card, ConfirmDialog, ErrorNote, Field, PageTitle, Select, ShowOnce, SubmitForm } from '@/components/ui';
import { DataList, EmptyState, QueryView } from '@/components/data-ui';
import { unwrap, type Schemas } from '@/lib/api';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';

type Key = Schemas['ApiKey'];

export default function ApiKeysPage() {
  const { t, api, dateTime } = useApp();
  const canWrite = useCan()('write');
  const list = useApiQuery(keys.apiKeys(), () => unwrap(api.GET('/v1/api-keys', { params: { query: { limit: 200 } } })));
  const stores = useApiQuery(keys.stores(), () => unwrap(api.GET('/v1/stores', { params: { query: { limit: 200 } } })));
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [revoking, setRevoking] = useState<Key | null>(null);
  const storeName = (id: string | null) => (id ? (stores.data?.data.find((s) => s.id === id)?.name ?? id) : t('keys.tenantWide'));
  const create = useApiMutation({
    run: (body: { name: string; storeId?: string }) => unwrap(api.POST('/v1/api-keys', { body })),
    invalidate: () => [keys.apiKeys()],
    success: (r) => t('dash.keys.created', { name: r.name }),
  });
  const revoke = useApiMutation({
    run: (k: Key) => unwrap(api.DELETE('/v1/api-keys/{id}', { params: { path: { id: k.id } } })),
    invalidate: () => [keys.apiKeys()],
    success: (_r, k) => t('dash.keys.revokedToast', { name: k.name }),
  });
  return (
    <>
      <PageTitle>{t('keys.title')}</PageTitle>
      {created ? (
        <div className="mb-4">
          <ShowOnce label={`${t('keys.newKey')}: ${created.name}`} value={created.key} />
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className={canWrite ? 'min-w-0 lg:col-span-2' : 'min-w-0 lg:col-span-3'}>
          <QueryView query={list}>
            {(k) =>
              k.data.length === 0 ? (
                <EmptyState title={t('dash.keys.emptyTitle')} body={t('dash.keys.emptyHelp')} />
              ) : (
                <DataList
                  rows={k.data}
                  rowKey={(x) => x.id}
                  caption={t('keys.title')}
                  columns={[
                    { label: t('common.name'), cell: (x) => x.name },
                    { label: t('keys.prefix'), cell: (x) => <span className="font-mono">{x.prefix}…</span> },
                    { label: t('keys.store'), cell: (x) => storeName(x.storeId) },
                    { label: t('keys.lastUsed'), cell: (x) => (x.lastUsedAt ? dateTime(x.lastUsedAt) : t('common.never')) },
                    {
                      label: t('common.status'),
                      cell: (x) =>
                        x.revokedAt ? <Badge tone="red">{t('keys.revoked')}</Badge> : <Badge tone="green">{t('keys.active')}</Badge>,
                    },
                    ...(canWrite
                      ? [
                          {
                            label: t('common.actions'),
                            cell: (x: Key) =>
                              x.revokedAt ? null : (
                                <Button variant="danger" aria-label={`${t('keys.revoke')} ${x.name}`} onClick={() => setRevoking(x)}>
                                  {t('keys.revoke')}
                                </Button>
                              ),
                          },
                        ]
                      : []),
                  ]}
                />
              )
            }
          </QueryView>
        </Card>
        {canWrite ? (
          <Card title={t('keys.create')}>
            <SubmitForm
              onError={setError}
              onSubmit={async (d, form) => {
                const storeId = String(d.get('storeId') || '');
                const r = await create.mutateAsync({ name: String(d.get('name')), ...(storeId ? { storeId } : {}) });
                setCreated({ name: r.name, key: r.key });
                form.reset();
              }}
            >
              <Field label={t('common.name')} name="name" required maxLength={100} />
              <Select label={t('keys.store')} name="storeId" defaultValue="">
                <option value="">{t('keys.tenantWide')}</option>
                {stores.data?.data.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.code})
                  </option>
                ))}
              </Select>
              {error ? <ErrorNote error={error} /> : null}
              <Button type="submit">{t('keys.create')}</Button>
            </SubmitForm>
          </Card>
        ) : null}
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title={t('dash.keys.revokeTitle', { name: revoking?.name ?? '' })}
        confirmLabel={t('keys.revoke')}
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          await revoke.mutateAsync(revoking!);
          setRevoking(null);
        }}
      >
        {t('dash.keys.revokeBody', { name: revoking?.name ?? '', prefix: revoking?.prefix ?? '' })}
      </ConfirmDialog>
    </>
  );
}
