'use client';
import { useState } from 'react';
import { unwrap } from '@/lib/api';
import { useApp, useLoad } from '@/components/providers';
import Link from 'next/link';
import { Async, Button, Card, ErrorNote, Field, PageTitle, Table, Td } from '@/components/ui';

type Candidate = { memberId: string; unionId: string; from: string; to: string; shortfall: { spendCents?: number; growth?: number } };
type Preview = {
  periodStart: string;
  periodEnd: string;
  atRisk: number;
  wouldDowngrade: { code: string; count: number }[];
  sample: Candidate[];
};
type Run = {
  id: string;
  periodEnd: string;
  status: string;
  evaluated: number;
  downgraded: number;
  startedAt: string | null;
  finishedAt: string | null;
};

export default function RetentionPage() {
  const { t, api, num, money, date, dateTime } = useApp();
  const runs = useLoad(() => unwrap(api.GET('/v1/retention/runs', { params: { query: { limit: 50 } } })) as Promise<{ data: Run[] }>, []);
  const [periodEnd, setPeriodEnd] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [queued, setQueued] = useState<string | null>(null);
  const body = periodEnd ? { periodEnd } : {};
  return (
    <>
      <PageTitle>{t('retention.title')}</PageTitle>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card title={t('retention.preview')}>
          <form
            className="flex flex-col gap-3"
            onSubmit={async (e) => {
              e.preventDefault();
              setError(null);
              try {
                setPreview((await unwrap(api.POST('/v1/retention/preview', { body }))) as Preview);
              } catch (err) {
                setError(err as Error);
              }
            }}
          >
            <Field
              label={t('retention.periodEnd')}
              value={periodEnd}
              onChange={(e) => setPeriodEnd(e.target.value)}
              pattern="\d{4}-\d{2}-\d{2}"
              placeholder="2026-12-31"
            />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant="secondary">
                {t('retention.preview')}
              </Button>
              <Button
                disabled={!preview}
                onClick={async () => {
                  setError(null);
                  try {
                    const r = await unwrap(api.POST('/v1/retention/runs', { body: { periodEnd: preview?.periodEnd ?? periodEnd } }));
                    setQueued(t('retention.queued', { id: r.runId }));
                    runs.reload();
                  } catch (err) {
                    setError(err as Error);
                  }
                }}
              >
                {t('retention.run')}
              </Button>
            </div>
          </form>
          {error ? (
            <div className="mt-3">
              <ErrorNote error={error} />
            </div>
          ) : null}
          {queued ? (
            <p role="status" className="mt-3 text-sm text-green-700">
              {queued}
            </p>
          ) : null}
          {preview ? (
            <div className="mt-4 text-sm" aria-live="polite">
              <p>
                {date(preview.periodStart)} – {date(preview.periodEnd)}
              </p>
              <p className="font-medium">{t('retention.atRisk', { n: num(preview.atRisk) })}</p>
              <ul className="list-disc pl-5">
                {preview.wouldDowngrade.map((w) => (
                  <li key={w.code}>{t('retention.wouldDowngrade', { code: w.code, count: num(w.count) })}</li>
                ))}
              </ul>
              {preview.sample.length > 0 ? (
                <div className="mt-3">
                  <Table
                    head={[t('members.unionId'), t('tiers.before'), t('tiers.after'), t('retention.shortfall')]}
                    caption={t('retention.sample')}
                  >
                    {preview.sample.map((c) => (
                      <tr key={c.memberId}>
                        <Td>
                          <Link className="text-indigo-700 underline" href={`/members/${encodeURIComponent(c.unionId)}`}>
                            {c.unionId}
                          </Link>
                        </Td>
                        <Td>{c.from}</Td>
                        <Td>{c.to}</Td>
                        <Td>
                          {[
                            c.shortfall.spendCents !== undefined ? money(c.shortfall.spendCents) : null,
                            c.shortfall.growth !== undefined ? `${num(c.shortfall.growth)} ${t('members.growth')}` : null,
                          ]
                            .filter(Boolean)
                            .join(' · ')}
                        </Td>
                      </tr>
                    ))}
                  </Table>
                </div>
              ) : null}
            </div>
          ) : null}
        </Card>
        <Card title={t('retention.runs')}>
          <Async state={runs}>
            {(r) =>
              r.data.length === 0 ? (
                <p className="text-sm text-slate-500">{t('common.none')}</p>
              ) : (
                <Table
                  head={[
                    t('retention.periodEnd'),
                    t('common.status'),
                    t('retention.evaluated'),
                    t('retention.downgraded'),
                    t('retention.started'),
                    t('retention.finished'),
                  ]}
                >
                  {r.data.map((x) => (
                    <tr key={x.id}>
                      <Td>{date(x.periodEnd)}</Td>
                      <Td>{x.status}</Td>
                      <Td>{num(x.evaluated)}</Td>
                      <Td>{num(x.downgraded)}</Td>
                      <Td>{dateTime(x.startedAt)}</Td>
                      <Td>{dateTime(x.finishedAt)}</Td>
                    </tr>
                  ))}
                </Table>
              )
            }
          </Async>
        </Card>
      </div>
    </>
  );
}
