'use client';
import { useState } from 'react';
import { useApp, useLoad } from '@/components/providers';
import { Async, Badge, Button, Card, ErrorNote, Field, PageTitle, Select, ShowOnce, Table, Td, SubmitForm } from '@/components/ui';
import { unwrap } from '@/lib/api';

export default function ApiKeysPage() {
  const { t, api, dateTime } = useApp();
  const keys = useLoad(() => unwrap(api.GET('/v1/api-keys', { params: { query: { limit: 200 } } })), []);
  const stores = useLoad(() => unwrap(api.GET('/v1/stores', { params: { query: { limit: 200 } } })), []);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const storeName = (id: string | null) => (id ? (stores.data?.data.find((s) => s.id === id)?.name ?? id) : t('keys.tenantWide'));
  return (
    <>
      <PageTitle>{t('keys.title')}</PageTitle>
      {created ? (
        <div className="mb-4">
          <ShowOnce label={`${t('keys.newKey')}: ${created.name}`} value={created.key} />
        </div>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Async state={keys}>
            {(k) =>
              k.data.length === 0 ? (
                <p className="text-sm text-slate-500">{t('common.none')}</p>
              ) : (
                <Table
                  head={[t('common.name'), t('keys.prefix'), t('keys.store'), t('keys.lastUsed'), t('common.status'), t('common.actions')]}
                >
                  {k.data.map((x) => (
                    <tr key={x.id}>
                      <Td>{x.name}</Td>
                      <Td className="font-mono">{x.prefix}…</Td>
                      <Td>{storeName(x.storeId)}</Td>
                      <Td>{x.lastUsedAt ? dateTime(x.lastUsedAt) : t('common.never')}</Td>
                      <Td>
                        {x.revokedAt ? <Badge tone="red">{t('keys.revoked')}</Badge> : <Badge tone="green">{t('keys.active')}</Badge>}
                      </Td>
                      <Td>
                        {x.revokedAt ? null : (
                          <Button
                            variant="danger"
                            aria-label={`${t('keys.revoke')} ${x.name}`}
                            onClick={async () => {
                              if (!window.confirm(t('keys.confirmRevoke', { name: x.name }))) return;
                              setError(null);
                              try {
                                await unwrap(api.DELETE('/v1/api-keys/{id}', { params: { path: { id: x.id } } }));
                                keys.reload();
                              } catch (err) {
                                setError(err as Error);
                              }
                            }}
                          >
                            {t('keys.revoke')}
                          </Button>
                        )}
                      </Td>
                    </tr>
                  ))}
                </Table>
              )
            }
          </Async>
        </Card>
        <Card title={t('keys.create')}>
          <SubmitForm
            onError={setError}
            onSubmit={async (d, form) => {
              const storeId = String(d.get('storeId') || '');
              const r = await unwrap(api.POST('/v1/api-keys', { body: { name: String(d.get('name')), ...(storeId ? { storeId } : {}) } }));
              setCreated({ name: r.name, key: r.key });
              form.reset();
              keys.reload();
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
            <Button type="submit">{t('keys.create')}</Button>
          </SubmitForm>
        </Card>
      </div>
    </>
  );
}
