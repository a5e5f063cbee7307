'use client';
import { useState } from 'react';
import { enumValues, unwrap } from '@/lib/api';
import { useApp, useCan } from '@/components/providers';
import {
  Async,
  Badge,
  Button,
  Card,
  ConfirmDialog,
  ErrorNote,
  Field,
  PageTitle,
  Select,
  ShowOnce,
  Table,
  Td,
  SubmitForm,
} from '@/components/ui';
import { EmptyState } from '@/components/data-ui';
import { asLoaded, keys, useApiMutation, useApiQuery } from '@/lib/query';

// What the API accepts, from its OpenAPI document (the EventType enum): no list of our own.
const EVENTS = enumValues.EventType;

type Endpoint = { id: string; url: string; events: string[]; createdAt: string; deletedAt: string | null };
type Delivery = {
  id: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  test: boolean;
  createdAt: string;
};

function Deliveries({ endpoint }: { endpoint: Endpoint }) {
  const { t, api, dateTime, label } = useApp();
  const canWrite = useCan()('write');
  const list = asLoaded(
    useApiQuery(
      keys.deliveries(endpoint.id),
      () =>
        unwrap(api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: endpoint.id }, query: { limit: 50 } } })) as Promise<{
          data: Delivery[];
        }>,
    ),
  );
  const replay = useApiMutation({
    run: (deliveryId: string) =>
      unwrap(api.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/replay', { params: { path: { id: endpoint.id, deliveryId } } })),
    invalidate: () => [keys.deliveries(endpoint.id)],
    success: () => t('webhooks.replayed'),
  });
  const [error, setError] = useState<Error | null>(null);
  const [note, setNote] = useState<string | null>(null);
  return (
    <Card title={`${t('webhooks.deliveries')}: ${endpoint.url}`}>
      {note ? (
        <p role="status" className="mb-2 text-sm text-green-700">
          {note}
        </p>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {endpoint.deletedAt || !canWrite ? null : (
        <SubmitForm
          label={t('webhooks.sendTest')}
          onError={setError}
          onSubmit={async (d) => {
            setError(null);
            await unwrap(
              api.POST('/v1/webhooks/{id}/test', {
                params: { path: { id: endpoint.id } },
                body: { event: String(d.get('event')) as (typeof EVENTS)[number] },
              }),
            );
            setNote(t('webhooks.testSent'));
            list.reload();
          }}
        >
          <div className="mb-3 flex flex-wrap items-end gap-2">
            <Select label={t('webhooks.testEvent')} name="event" defaultValue={endpoint.events[0] ?? EVENTS[0]}>
              {EVENTS.map((ev) => (
                <option key={ev} value={ev}>
                  {label('EventType', ev)}
                </option>
              ))}
            </Select>
            <Button type="submit" variant="secondary">
              {t('webhooks.sendTest')}
            </Button>
          </div>
        </SubmitForm>
      )}
      <Async state={list}>
        {(l) =>
          l.data.length === 0 ? (
            <EmptyState title={t('dash.webhooks.noDeliveries')} body={t('dash.webhooks.noDeliveriesHelp')} />
          ) : (
            <Table
              head={[
                t('member.when'),
                t('webhooks.events'),
                t('common.status'),
                t('webhooks.attempts'),
                t('webhooks.responseCode'),
                t('webhooks.nextAttempt'),
                ...(canWrite ? [t('common.actions')] : []),
              ]}
            >
              {l.data.map((d) => (
                <tr key={d.id}>
                  <Td>{dateTime(d.createdAt)}</Td>
                  <Td>
                    {label('EventType', d.eventType)}
                    {d.test ? (
                      <span className="ml-1">
                        <Badge tone="indigo">{t('webhooks.test')}</Badge>
                      </span>
                    ) : null}
                  </Td>
                  <Td>
                    <Badge tone={d.status === 'succeeded' ? 'green' : d.status === 'failed' ? 'red' : 'amber'}>
                      {label('DeliveryStatus', d.status)}
                    </Badge>
                    {d.lastError ? <span className="block text-xs text-red-700">{d.lastError}</span> : null}
                  </Td>
                  <Td>{d.attempts}</Td>
                  <Td>{d.responseCode ?? '—'}</Td>
                  <Td>{d.nextAttemptAt ? dateTime(d.nextAttemptAt) : '—'}</Td>
                  {canWrite ? (
                    <Td>
                      <Button
                        variant="secondary"
                        onClick={async () => {
                          setError(null);
                          try {
                            await replay.mutateAsync(d.id);
                            setNote(t('webhooks.replayed'));
                          } catch (err) {
                            setError(err as Error);
                          }
                        }}
                      >
                        {t('webhooks.replay')}
                      </Button>
                    </Td>
                  ) : null}
                </tr>
              ))}
            </Table>
          )
        }
      </Async>
    </Card>
  );
}

export default function WebhooksPage() {
  const { t, api, label } = useApp();
  const canWrite = useCan()('write');
  const hooks = asLoaded(
    useApiQuery(
      keys.webhooks(),
      () => unwrap(api.GET('/v1/webhooks', { params: { query: { limit: 200 } } })) as Promise<{ data: Endpoint[] }>,
    ),
  );
  const [deleting, setDeleting] = useState<Endpoint | null>(null);
  const remove = useApiMutation({
    run: (x: Endpoint) => unwrap(api.DELETE('/v1/webhooks/{id}', { params: { path: { id: x.id } } })),
    invalidate: () => [keys.webhooks()],
    success: (_r, x) => t('dash.webhooks.deleted', { url: x.url }),
  });
  const create = useApiMutation({
    run: (body: { url: string; events: (typeof EVENTS)[number][] }) => unwrap(api.POST('/v1/webhooks', { body })),
    invalidate: () => [keys.webhooks()],
    success: () => t('dash.webhooks.created'),
  });
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [open, setOpen] = useState<Endpoint | null>(null);
  return (
    <>
      <PageTitle>{t('webhooks.title')}</PageTitle>
      {secret ? (
        <div className="mb-4">
          <ShowOnce label={t('webhooks.secret')} value={secret} />
        </div>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className={canWrite ? 'lg:col-span-2' : 'lg:col-span-3'}>
          <Async state={hooks}>
            {(h) =>
              h.data.length === 0 ? (
                <EmptyState title={t('dash.webhooks.emptyTitle')} body={t('dash.webhooks.emptyHelp')} />
              ) : (
                <Table head={[t('webhooks.url'), t('webhooks.events'), t('common.actions')]}>
                  {h.data.map((x) => (
                    <tr key={x.id}>
                      <Td className="break-all">{x.url}</Td>
                      <Td className="text-xs">{x.events.map((e) => label('EventType', e)).join('、')}</Td>
                      <Td className="flex flex-wrap gap-2">
                        <Button variant="secondary" onClick={() => setOpen(x)}>
                          {t('webhooks.deliveries')}
                        </Button>
                        {x.deletedAt ? (
                          <Badge tone="red">{t('webhooks.deleted')}</Badge>
                        ) : !canWrite ? null : (
                          <Button variant="danger" onClick={() => setDeleting(x)}>
                            {t('webhooks.delete')}
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
        {canWrite ? (
          <Card title={t('webhooks.create')}>
            <SubmitForm
              onError={setError}
              onSubmit={async (d, form) => {
                const r = await create.mutateAsync({
                  url: String(d.get('url')),
                  events: d.getAll('events').map(String) as (typeof EVENTS)[number][],
                });
                setSecret(r.secret);
                form.reset();
              }}
            >
              <Field label={t('webhooks.url')} name="url" type="url" required placeholder="https://" />
              <fieldset className="flex flex-col gap-1">
                <legend className="mb-1 text-sm font-medium text-slate-700">{t('webhooks.events')}</legend>
                {EVENTS.map((ev) => (
                  <label key={ev} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="events" value={ev} defaultChecked />
                    <span title={ev}>{label('EventType', ev)}</span>
                  </label>
                ))}
              </fieldset>
              <Button type="submit">{t('webhooks.create')}</Button>
            </SubmitForm>
          </Card>
        ) : null}
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={t('dash.webhooks.deleteTitle', { url: deleting?.url ?? '' })}
        confirmLabel={t('webhooks.delete')}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await remove.mutateAsync(deleting!);
          if (open?.id === deleting!.id) setOpen(null);
          setDeleting(null);
        }}
      >
        {t('dash.webhooks.deleteBody')}
      </ConfirmDialog>
      {open ? (
        <div className="mt-4">
          <Deliveries key={open.id} endpoint={open} />
        </div>
      ) : null}
    </>
  );
}
