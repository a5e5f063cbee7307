'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useApp, useLoad } from '@/components/providers';
import { Async, Card, Field, PageTitle, Select, SaveBar } from '@/components/ui';
import { unwrap, type Schemas } from '@/lib/api';

type Patch = Schemas['ProgramPatch'];

export default function SettingsPage() {
  const { t, api } = useApp();
  const router = useRouter();
  const program = useLoad(() => unwrap(api.GET('/v1/program')), []);
  const [error, setError] = useState<Error | null>(null);
  const [saved, setSaved] = useState(false);
  return (
    <>
      <PageTitle>{t('settings.title')}</PageTitle>
      <Async state={program}>
        {(p) => (
          <Card>
            <form
              className="grid max-w-2xl gap-4 sm:grid-cols-2"
              onSubmit={async (e) => {
                e.preventDefault();
                const d = new FormData(e.currentTarget);
                setError(null);
                setSaved(false);
                try {
                  const body = {
                    currency: String(d.get('currency')).toUpperCase(),
                    timezone: String(d.get('timezone')),
                    qualificationModel: String(d.get('qualificationModel')),
                    retention: { period: String(d.get('period')), warnDays: Number(d.get('warnDays')) },
                  } as unknown as Patch;
                  await unwrap(api.PATCH('/v1/program', { body }));
                  setSaved(true);
                  program.reload();
                  router.refresh();
                } catch (err) {
                  setError(err as Error);
                }
              }}
            >
              <Field label={t('settings.currency')} name="currency" defaultValue={p.currency} required pattern="[A-Za-z]{3}" />
              <Field label={t('settings.timezone')} name="timezone" defaultValue={p.timezone} required />
              <Select label={t('settings.model')} name="qualificationModel" defaultValue={p.qualificationModel}>
                <option value="growth">{t('settings.model.growth')}</option>
                <option value="spend">{t('settings.model.spend')}</option>
                <option value="rfm">{t('settings.model.rfm')}</option>
              </Select>
              <Select label={t('settings.retentionPeriod')} name="period" defaultValue={p.retention.period}>
                {(['month', 'quarter', 'half_year', 'year'] as const).map((x) => (
                  <option key={x} value={x}>
                    {t(`period.${x}`)}
                  </option>
                ))}
              </Select>
              <Field
                label={t('settings.warnDays')}
                name="warnDays"
                type="number"
                min={0}
                max={90}
                defaultValue={p.retention.warnDays}
                required
              />
              <SaveBar error={error} saved={saved} />
            </form>
          </Card>
        )}
      </Async>
    </>
  );
}
