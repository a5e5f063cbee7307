'use client';
import Link from 'next/link';
import { useState } from 'react';
import { MoreButton, useCursorList } from '@/components/cursor-list';
import { useApp } from '@/components/providers';
import { Async, Badge, Button, Card, ErrorNote, PageTitle, Table, Td } from '@/components/ui';
import { unwrap, type Schemas } from '@/lib/api';

type Tenant = Schemas['TenantSummary'];

export default function TenantsPage() {
  const { t, api, num, dateTime } = useApp();
  const [actionError, setActionError] = useState<Error | null>(null);
  const list = useCursorList<Tenant>(
    (cursor) => unwrap(api.GET('/v1/platform/tenants', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })),
    [],
  );
  const tenants = list.rows;
  async function setStatus(tenant: Tenant, action: 'suspend' | 'reactivate') {
    setActionError(null);
    try {
      const updated = await unwrap(api.POST(`/v1/platform/tenants/{id}/${action}`, { params: { path: { id: tenant.id } } }));
      list.update((rows) => rows.map((x) => (x.id === tenant.id ? { ...x, status: updated.status } : x)));
    } catch (e) {
      setActionError(e as Error);
    }
  }
  return (
    <>
      <PageTitle
        actions={
          <Link href="/platform/onboard" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700">
            {t('nav.onboard')}
          </Link>
        }
      >
        {t('platform.title')}
      </PageTitle>
      {actionError ? <ErrorNote error={actionError} /> : null}
      <Card>
        <Async state={list.first}>
          {() =>
            tenants.length === 0 ? (
              <p className="text-sm text-slate-600">{t('platform.none')}</p>
            ) : (
              <>
                <Table
                  head={[
                    t('common.name'),
                    t('platform.slug'),
                    t('platform.members'),
                    t('platform.stores'),
                    t('common.status'),
                    t('common.created'),
                    t('common.actions'),
                  ]}
                >
                  {tenants.map((x) => (
                    <tr key={x.id} data-testid={`tenant-${x.slug}`}>
                      <Td className="font-medium">{x.name}</Td>
                      <Td>{x.slug}</Td>
                      <Td>{num(x.memberCount)}</Td>
                      <Td>{num(x.storeCount)}</Td>
                      <Td>
                        <Badge tone={x.status === 'active' ? 'green' : 'red'}>
                          {t(x.status === 'active' ? 'platform.status.active' : 'platform.status.suspended')}
                        </Badge>
                      </Td>
                      <Td>{dateTime(x.createdAt)}</Td>
                      <Td>
                        {x.status === 'active' ? (
                          <Button
                            variant="danger"
                            onClick={() => setStatus(x, 'suspend')}
                            aria-label={`${t('platform.suspend')} ${x.name}`}
                          >
                            {t('platform.suspend')}
                          </Button>
                        ) : (
                          <Button
                            variant="secondary"
                            onClick={() => setStatus(x, 'reactivate')}
                            aria-label={`${t('platform.reactivate')} ${x.name}`}
                          >
                            {t('platform.reactivate')}
                          </Button>
                        )}
                      </Td>
                    </tr>
                  ))}
                </Table>
                <MoreButton list={list} />
              </>
            )
          }
        </Async>
      </Card>
    </>
  );
}
