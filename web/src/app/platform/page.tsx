'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useApp } from '@/components/providers';
import { Badge, Button, Card, ConfirmDialog, ErrorNote, PageTitle } from '@/components/ui';
import { ButtonLink, DataList, EmptyState, QueryView } from '@/components/data-ui';
import { unwrap, type Schemas } from '@/lib/api';
import { keys, useApiMutation, useCursorQuery } from '@/lib/query';

type Tenant = Schemas['TenantSummary'];

export default function TenantsPage() {
  const { t, api, num, dateTime, label } = useApp();
  const list = useCursorQuery<Tenant>(keys.tenants({}), (cursor) =>
    unwrap(api.GET('/v1/platform/tenants', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })),
  );
  const [suspending, setSuspending] = useState<Tenant | null>(null);
  const setStatus = useApiMutation({
    run: ({ tenant, action }: { tenant: Tenant; action: 'suspend' | 'reactivate' }) =>
      unwrap(api.POST(`/v1/platform/tenants/{id}/${action}`, { params: { path: { id: tenant.id } } })),
    invalidate: () => [['platform', 'tenants']],
    success: (_r, v) => t(v.action === 'suspend' ? 'dash.platform.suspended' : 'dash.platform.reactivated', { name: v.tenant.name }),
  });
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
      {setStatus.error && !suspending ? <ErrorNote error={setStatus.error} /> : null}
      <Card>
        <QueryView query={list}>
          {() =>
            list.rows.length === 0 ? (
              <EmptyState title={t('platform.none')} action={<ButtonLink href="/platform/onboard">{t('nav.onboard')}</ButtonLink>} />
            ) : (
              <>
                <DataList
                  rows={list.rows}
                  rowKey={(x) => x.id}
                  caption={t('platform.title')}
                  rowTestId={(x) => `tenant-${x.slug}`}
                  columns={[
                    { label: t('common.name'), cell: (x) => <span className="font-medium">{x.name}</span> },
                    { label: t('platform.slug'), cell: (x) => x.slug },
                    { label: t('platform.members'), cell: (x) => num(x.memberCount) },
                    { label: t('platform.stores'), cell: (x) => num(x.storeCount) },
                    {
                      label: t('common.status'),
                      cell: (x) => <Badge tone={x.status === 'active' ? 'green' : 'red'}>{label('TenantStatus', x.status)}</Badge>,
                    },
                    { label: t('common.created'), cell: (x) => dateTime(x.createdAt) },
                    {
                      label: t('common.actions'),
                      cell: (x) =>
                        x.status === 'active' ? (
                          <Button variant="danger" onClick={() => setSuspending(x)} aria-label={`${t('platform.suspend')} ${x.name}`}>
                            {t('platform.suspend')}
                          </Button>
                        ) : (
                          <Button
                            variant="secondary"
                            disabled={setStatus.isPending}
                            onClick={() => setStatus.mutate({ tenant: x, action: 'reactivate' })}
                            aria-label={`${t('platform.reactivate')} ${x.name}`}
                          >
                            {t('platform.reactivate')}
                          </Button>
                        ),
                    },
                  ]}
                />
                {list.hasNextPage ? (
                  <div className="mt-3">
                    <Button variant="secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                      {t('common.more')}
                    </Button>
                  </div>
                ) : null}
              </>
            )
          }
        </QueryView>
      </Card>
      <ConfirmDialog
        open={suspending !== null}
        title={t('dash.platform.suspendTitle', { name: suspending?.name ?? '' })}
        confirmLabel={t('platform.suspend')}
        onClose={() => setSuspending(null)}
        onConfirm={async () => {
          await setStatus.mutateAsync({ tenant: suspending!, action: 'suspend' });
          setSuspending(null);
        }}
      >
        {t('dash.platform.suspendBody', { name: suspending?.name ?? '' })}
      </ConfirmDialog>
    </>
  );
}
