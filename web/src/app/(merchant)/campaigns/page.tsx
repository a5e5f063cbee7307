'use client';
import { useState } from 'react';
import { useApp, useCan } from '@/components/providers';
import { Badge, Button, Card, ErrorNote, Field, PageTitle, Select, SubmitForm, Table, Td } from '@/components/ui';
import { EmptyState, QueryView } from '@/components/data-ui';
import { DateTimeField } from '@/components/date-field';
import { TierSelect } from '@/components/pickers';
import { unwrap, type Schemas } from '@/lib/api';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';

type Campaign = Schemas['Campaign'];

/** A date and time field's value (YYYY-MM-DDTHH:mm in the browser's zone) as an ISO time, or undefined when empty. */
function iso(v: FormDataEntryValue | null): string | undefined {
  const s = String(v ?? '').trim();
  return s ? new Date(s).toISOString() : undefined;
}

export default function CampaignsPage() {
  const { t, api, dateTime } = useApp();
  const canWrite = useCan()('write');
  const list = useApiQuery(keys.campaigns(), () => unwrap(api.GET('/v1/campaigns')));
  const create = useApiMutation({
    run: (body: Schemas['CampaignInput']) => unwrap(api.POST('/v1/campaigns', { body })),
    invalidate: () => [keys.campaigns()],
    success: (c) => t('catalogue.created', { code: c.code }),
  });
  const [error, setError] = useState<Error | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <PageTitle>{t('campaigns.title')}</PageTitle>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className={canWrite ? 'lg:col-span-2' : 'lg:col-span-3'}>
          <QueryView query={list}>
            {(l) =>
              l.data.length === 0 ? (
                <EmptyState title={t('dash.campaigns.emptyTitle')} body={canWrite ? t('dash.campaigns.emptyHelp') : t('dash.empty.readOnly')} />
              ) : (
                <Table
                  head={[
                    t('common.code'),
                    t('common.name'),
                    t('campaigns.kind'),
                    t('campaigns.window'),
                    t('campaigns.detail'),
                    t('common.actions'),
                  ]}
                >
                  {l.data.map((c: Campaign) => (
                    <tr key={c.code}>
                      <Td>{c.code}</Td>
                      <Td>{c.name}</Td>
                      <Td>
                        <Badge tone={c.kind === 'early_access' ? 'indigo' : 'amber'}>
                          {t(c.kind === 'early_access' ? 'campaigns.kind.early_access' : 'campaigns.kind.application')}
                        </Badge>
                      </Td>
                      <Td>
                        {dateTime(c.startsAt)} – {dateTime(c.endsAt)}
                        {c.tierStarts.map((s) => (
                          <div key={s.tier} className="text-xs text-slate-500">
                            {t('campaigns.tierOpens', { tier: s.tier, at: dateTime(s.startsAt) })}
                          </div>
                        ))}
                      </Td>
                      <Td>
                        {c.kind === 'early_access'
                          ? t('campaigns.skusLimit', { skus: c.skus.join(', '), limit: c.perMemberLimit ?? '∞' })
                          : t('campaigns.seatsApplied', { applied: c.applied, seats: c.seats ?? '∞' })}
                      </Td>
                      <Td>
                        {c.kind === 'application' ? (
                          <Button
                            variant="secondary"
                            onClick={() => setOpen(open === c.code ? null : c.code)}
                            aria-expanded={open === c.code}
                          >
                            {t('campaigns.applications')}
                          </Button>
                        ) : null}
                      </Td>
                    </tr>
                  ))}
                </Table>
              )
            }
          </QueryView>
          {open ? <Applications code={open} /> : null}
        </Card>
        {canWrite ? (
          <Card title={t('campaigns.new')}>
            <SubmitForm
              label={t('campaigns.new')}
              onError={setError}
              onSubmit={async (d, form) => {
                const kind = String(d.get('kind')) as Campaign['kind'];
                const tierStarts =
                  String(d.get('tierStartTier') ?? '').trim() && iso(d.get('tierStartAt'))
                    ? [{ tier: String(d.get('tierStartTier')).trim(), startsAt: iso(d.get('tierStartAt'))! }]
                    : undefined;
                const num = (k: string) => (String(d.get(k) ?? '').trim() ? Number(d.get(k)) : undefined);
                const body = {
                  code: String(d.get('code')).trim(),
                  name: String(d.get('name')).trim(),
                  kind,
                  startsAt: iso(d.get('startsAt'))!,
                  endsAt: iso(d.get('endsAt'))!,
                  ...(tierStarts ? { tierStarts } : {}),
                  ...(kind === 'early_access'
                    ? {
                        skus: String(d.get('skus') ?? '')
                          .split(/[,，\s]+/)
                          .filter(Boolean),
                        ...(num('perMemberLimit') ? { perMemberLimit: num('perMemberLimit') } : {}),
                      }
                    : num('seats')
                      ? { seats: num('seats') }
                      : {}),
                } as Schemas['CampaignInput'];
                await create.mutateAsync(body);
                form.reset();
              }}
            >
              <Field label={t('common.code')} name="code" required />
              <Field label={t('common.name')} name="name" required />
              <Select label={t('campaigns.kind')} name="kind" defaultValue="early_access">
                <option value="early_access">{t('campaigns.kind.early_access')}</option>
                <option value="application">{t('campaigns.kind.application')}</option>
              </Select>
              <DateTimeField label={t('campaigns.startsAt')} name="startsAt" required />
              <DateTimeField label={t('campaigns.endsAt')} name="endsAt" required />
              <TierSelect label={t('campaigns.tierStartTier')} name="tierStartTier" defaultValue="" noneLabel={t('pickers.noTier')} hint={t('campaigns.tierStartHint')} />
              <DateTimeField label={t('campaigns.tierStartAt')} name="tierStartAt" />
              <Field label={t('campaigns.skus')} name="skus" hint={t('campaigns.skusHint')} />
              <Field label={t('campaigns.perMemberLimit')} name="perMemberLimit" type="number" min={1} />
              <Field label={t('campaigns.seats')} name="seats" type="number" min={1} />
              {error ? <ErrorNote error={error} /> : null}
              <Button type="submit">{t('campaigns.create')}</Button>
            </SubmitForm>
          </Card>
        ) : null}
      </div>
    </>
  );
}

function Applications({ code }: { code: string }) {
  const { t, api, dateTime } = useApp();
  const canWrite = useCan()('write');
  const apps = useApiQuery(keys.campaignApplications(code), () => unwrap(api.GET('/v1/campaigns/{code}/applications', { params: { path: { code } } })));
  const [error, setError] = useState<Error | null>(null);
  // An approval changes the application and the campaign's counts: both are under `campaigns`.
  const approve = useApiMutation({
    run: (id: string) => unwrap(api.POST('/v1/campaigns/{code}/applications/{id}/approve', { params: { path: { code, id } } })),
    invalidate: () => [keys.campaigns()],
    success: (a) => t('dash.campaigns.approved', { member: a.unionId }),
  });
  return (
    <section aria-label={t('campaigns.applicationsOf', { code })} className="mt-4">
      <h3 className="mb-2 text-sm font-semibold">{t('campaigns.applicationsOf', { code })}</h3>
      {error ? <ErrorNote error={error} /> : null}
      <QueryView query={apps}>
        {(a) =>
          a.data.length === 0 ? (
            <EmptyState title={t('dash.campaigns.noApplications')} body={t('dash.campaigns.noApplicationsHelp')} />
          ) : (
            <Table head={[t('campaigns.member'), t('campaigns.appliedAt'), t('common.status'), t('common.actions')]}>
              {a.data.map((x) => (
                <tr key={x.id}>
                  <Td>{x.unionId}</Td>
                  <Td>{dateTime(x.createdAt)}</Td>
                  <Td>
                    <Badge tone={x.status === 'approved' ? 'green' : 'amber'}>
                      {t(x.status === 'approved' ? 'campaigns.status.approved' : 'campaigns.status.applied')}
                    </Badge>
                  </Td>
                  <Td>
                    {x.status === 'applied' && canWrite ? (
                      <Button
                        disabled={approve.isPending}
                        onClick={async () => {
                          setError(null);
                          try {
                            await approve.mutateAsync(x.id);
                          } catch (err) {
                            setError(err as Error);
                          }
                        }}
                      >
                        {t('campaigns.approve')}
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </Table>
          )
        }
      </QueryView>
    </section>
  );
}
