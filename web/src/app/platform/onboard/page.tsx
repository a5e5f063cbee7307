'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useApp } from '@/components/providers';
import { Button, Card, ErrorNote, Field, PageTitle, Select, ShowOnce } from '@/components/ui';
import { unwrap, type Schemas } from '@/lib/api';

type Channel = 'online' | 'store' | 'delivery' | 'miniprogram';
type StoreDraft = { code: string; name: string; channel: Channel };
const CHANNELS: Channel[] = ['online', 'store', 'delivery', 'miniprogram'];

export default function OnboardPage() {
  const { t, api } = useApp();
  const [step, setStep] = useState(1);
  const [tenant, setTenant] = useState({ name: '', slug: '', currency: 'CNY', timezone: 'Asia/Shanghai' });
  const [stores, setStores] = useState<StoreDraft[]>([{ code: '', name: '', channel: 'online' }]);
  const [owner, setOwner] = useState({ email: '', password: '' });
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Schemas['CreatedTenant'] | null>(null);

  if (created) {
    return (
      <>
        <PageTitle>{t('onboard.done', { name: created.tenant.name })}</PageTitle>
        <Card className="flex flex-col gap-4">
          <p className="text-sm">
            {t('onboard.owner')}: <strong>{created.owner.email}</strong>
          </p>
          <p className="text-sm">
            {t('onboard.stores')}: {created.stores.map((s) => `${s.name} (${s.code})`).join(', ') || '—'}
          </p>
          <ShowOnce label={t('onboard.apiKey')} value={created.apiKey.key} />
          <div className="flex gap-2">
            <Link href="/platform" className="rounded-md border border-slate-300 px-3 py-2 text-sm">
              {t('nav.tenants')}
            </Link>
            <Button
              variant="secondary"
              onClick={() => {
                setCreated(null);
                setStep(1);
                setTenant({ name: '', slug: '', currency: 'CNY', timezone: 'Asia/Shanghai' });
                setStores([{ code: '', name: '', channel: 'online' }]);
                setOwner({ email: '', password: '' });
              }}
            >
              {t('onboard.another')}
            </Button>
          </div>
        </Card>
      </>
    );
  }

  const steps = [t('onboard.tenant'), t('onboard.stores'), t('onboard.owner')];
  return (
    <>
      <PageTitle>{t('onboard.title')}</PageTitle>
      <ol className="mb-4 flex flex-wrap gap-2 text-sm" aria-label={t('onboard.step', { n: step, total: 3 })}>
        {steps.map((s, i) => (
          <li
            key={s}
            aria-current={step === i + 1 ? 'step' : undefined}
            className={`rounded-full px-3 py-1 ${step === i + 1 ? 'bg-indigo-600 text-white' : 'bg-slate-200 text-slate-700'}`}
          >
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      <Card>
        <form
          className="flex flex-col gap-4"
          onSubmit={async (e) => {
            e.preventDefault();
            if (step < 3) return setStep(step + 1);
            setBusy(true);
            setError(null);
            try {
              const body = {
                ...tenant,
                owner,
                stores: stores.filter((s) => s.code && s.name),
              };
              setCreated(await unwrap(api.POST('/v1/platform/tenants', { body })));
            } catch (err) {
              setError(err as Error);
            } finally {
              setBusy(false);
            }
          }}
        >
          <p className="text-sm text-slate-500">{t('onboard.step', { n: step, total: 3 })}</p>
          {step === 1 ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label={t('onboard.tenantName')}
                value={tenant.name}
                onChange={(e) => setTenant({ ...tenant, name: e.target.value })}
                required
                maxLength={100}
              />
              <Field
                label={t('onboard.slug')}
                value={tenant.slug}
                onChange={(e) => setTenant({ ...tenant, slug: e.target.value })}
                required
                // Browsers compile `pattern` with the `v` flag, where a literal "-" in a class must be escaped.
                pattern="[a-z0-9][a-z0-9\-]*"
                minLength={2}
                maxLength={48}
              />
              <Field
                label={t('onboard.currency')}
                value={tenant.currency}
                onChange={(e) => setTenant({ ...tenant, currency: e.target.value.toUpperCase() })}
                required
                pattern="[A-Z]{3}"
              />
              <Field
                label={t('onboard.timezone')}
                value={tenant.timezone}
                onChange={(e) => setTenant({ ...tenant, timezone: e.target.value })}
                required
              />
            </div>
          ) : null}
          {step === 2 ? (
            <div className="flex flex-col gap-4">
              {stores.map((s, i) => (
                <fieldset key={i} className="grid gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-3">
                  <legend className="px-1 text-sm text-slate-600">
                    {t('onboard.stores')} {i + 1}
                  </legend>
                  <Field
                    label={t('onboard.storeCode')}
                    value={s.code}
                    onChange={(e) => setStores(stores.map((x, j) => (j === i ? { ...x, code: e.target.value } : x)))}
                  />
                  <Field
                    label={t('onboard.storeName')}
                    value={s.name}
                    onChange={(e) => setStores(stores.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
                  />
                  <Select
                    label={t('stores.channel')}
                    value={s.channel}
                    onChange={(e) => setStores(stores.map((x, j) => (j === i ? { ...x, channel: e.target.value as Channel } : x)))}
                  >
                    {CHANNELS.map((c) => (
                      <option key={c} value={c}>
                        {t(`channel.${c}`)}
                      </option>
                    ))}
                  </Select>
                </fieldset>
              ))}
              <Button
                variant="secondary"
                className="self-start"
                onClick={() => setStores([...stores, { code: '', name: '', channel: 'store' }])}
              >
                {t('onboard.addStore')}
              </Button>
            </div>
          ) : null}
          {step === 3 ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label={t('onboard.ownerEmail')}
                type="email"
                value={owner.email}
                onChange={(e) => setOwner({ ...owner, email: e.target.value })}
                required
              />
              <Field
                label={t('onboard.ownerPassword')}
                type="password"
                autoComplete="new-password"
                value={owner.password}
                onChange={(e) => setOwner({ ...owner, password: e.target.value })}
                required
                minLength={8}
              />
            </div>
          ) : null}
          {error ? <ErrorNote error={error} /> : null}
          <div className="flex gap-2">
            {step > 1 ? (
              <Button variant="secondary" onClick={() => setStep(step - 1)}>
                {t('common.back')}
              </Button>
            ) : null}
            <Button type="submit" disabled={busy}>
              {step < 3 ? t('common.next') : t('onboard.submit')}
            </Button>
          </div>
        </form>
      </Card>
    </>
  );
}
