'use client';
import { useState } from 'react';
import { enumValues, unwrap } from '@/lib/api';
import { useApp, useLoad } from '@/components/providers';
import { Async, Badge, Button, Card, ErrorNote, Field, PageTitle, Select, ShowOnce, Table, Td, SubmitForm } from '@/components/ui';

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
  const { t, api, dateTime } = useApp();
  const list = useLoad(
    () =>
      unwrap(api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: endpoint.id }, query: { limit: 50 } } })) as Promise<{
        data: Delivery[];
      }>,
    [endpoint.id],
  );
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
      {endpoint.deletedAt ? null : (
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
                  {ev}
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
            <p className="text-sm text-slate-500">{t('common.none')}</p>
          ) : (
            <Table
              head={[
                t('member.when'),
                t('webhooks.events'),
                t('common.status'),
                t('webhooks.attempts'),
                t('webhooks.responseCode'),
                t('webhooks.nextAttempt'),
                t('common.actions'),
              ]}
            >
              {l.data.map((d) => (
                <tr key={d.id}>
                  <Td>{dateTime(d.createdAt)}</Td>
                  <Td>
                    {d.eventType}
                    {d.test ? (
                      <span className="ml-1">
                        <Badge tone="indigo">{t('webhooks.test')}</Badge>
                      </span>
                    ) : null}
                  </Td>
                  <Td>
                    <Badge tone={d.status === 'succeeded' ? 'green' : d.status === 'failed' ? 'red' : 'amber'}>
                      {t(`webhooks.status.${d.status}`)}
                    </Badge>
                    {d.lastError ? <span className="block text-xs text-red-700">{d.lastError}</span> : null}
                  </Td>
                  <Td>{d.attempts}</Td>
                  <Td>{d.responseCode ?? '—'}</Td>
                  <Td>{d.nextAttemptAt ? dateTime(d.nextAttemptAt) : '—'}</Td>
                  <Td>
                    <Button
                      variant="secondary"
                      onClick={async () => {
                        setError(null);
                        try {
                          await unwrap(
                            api.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/replay', {
                              params: { path: { id: endpoint.id, deliveryId: d.id } },
                            }),
                          );
                          setNote(t('webhooks.replayed'));
                          list.reload();
                        } catch (err) {
                          setError(err as Error);
                        }
                      }}
                    >
                      {t('webhooks.replay')}
                    </Button>
                  </Td>
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
  const { t, api } = useApp();
  const hooks = useLoad(() => unwrap(api.GET('/v1/webhooks', { params: { query: { limit: 200 } } })) as Promise<{ data: Endpoint[] }>, []);
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
        <Card className="lg:col-span-2">
          <Async state={hooks}>
            {(h) =>
              h.data.length === 0 ? (
                <p className="text-sm text-slate-500">{t('common.none')}</p>
              ) : (
                <Table head={[t('webhooks.url'), t('webhooks.events'), t('common.actions')]}>
                  {h.data.map((x) => (
                    <tr key={x.id}>
                      <Td className="break-all">{x.url}</Td>
                      <Td className="text-xs">{x.events.join(', ')}</Td>
                      <Td className="flex flex-wrap gap-2">
                        <Button variant="secondary" onClick={() => setOpen(x)}>
                          {t('webhooks.deliveries')}
                        </Button>
                        {x.deletedAt ? (
                          <Badge tone="red">{t('webhooks.deleted')}</Badge>
                        ) : (
                          <Button
                            variant="danger"
                            onClick={async () => {
                              setError(null);
                              try {
                                await unwrap(api.DELETE('/v1/webhooks/{id}', { params: { path: { id: x.id } } }));
                                if (open?.id === x.id) setOpen(null);
                                hooks.reload();
                              } catch (err) {
                                setError(err as Error);
                              }
                            }}
                          >
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
        <Card title={t('webhooks.create')}>
          <SubmitForm
            onError={setError}
            onSubmit={async (d, form) => {
              const r = await unwrap(
                api.POST('/v1/webhooks', {
                  body: {
                    url: String(d.get('url')),
                    events: d.getAll('events').map(String) as (typeof EVENTS)[number][],
                  },
                }),
              );
              setSecret(r.secret);
              form.reset();
              hooks.reload();
            }}
          >
            <Field label={t('webhooks.url')} name="url" type="url" required placeholder="https://" />
            <fieldset className="flex flex-col gap-1">
              <legend className="mb-1 text-sm font-medium text-slate-700">{t('webhooks.events')}</legend>
              {EVENTS.map((ev) => (
                <label key={ev} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="events" value={ev} defaultChecked />
                  {ev}
                </label>
              ))}
            </fieldset>
            <Button type="submit">{t('webhooks.create')}</Button>
          </SubmitForm>
        </Card>
      </div>
      {open ? (
        <div className="mt-4">
          <Deliveries key={open.id} endpoint={open} />
        </div>
      ) : null}
    </>
  );
}
