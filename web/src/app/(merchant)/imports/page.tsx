'use client';
import { useState } from 'react';
import { unwrap, type Schemas } from '@/lib/api';
import { useApp, useCan } from '@/components/providers';
import { Button, Card, ErrorNote, PageTitle, Select } from '@/components/ui';
import { DataList, EmptyState, ProgressBar, QueryView } from '@/components/data-ui';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';
import type { MessageKey } from '@/i18n';

type Import = Schemas['Import'];
type Kind = Import['kind'];
const KINDS: Kind[] = ['members', 'orders', 'points_balances'];
const ACTIVE = new Set(['awaiting_data', 'processing']);
/** How often a running import is read again. */
const POLL_MS = 1000;

/** One example line per kind (docs/imports.md). */
const EXAMPLES: Record<Kind, string> = {
  members:
    '{"unionId":"wx_union_8f3a2c","joinedAt":"2023-04-18T09:30:00+08:00","openIds":[{"storeCode":"shop1","openId":"o_mini_41d2"}],"profile":{"name":"Li Na","birthday":"1990-05-12"}}',
  orders:
    '{"externalId":"SO-2024-000187","member":"wx_union_8f3a2c","storeCode":"mall","amountCents":25710,"completedAt":"2024-03-02T11:15:00+08:00","refunds":[{"refundId":"RF-881","amountCents":4500,"at":"2024-03-05T10:00:00+08:00"}]}',
  points_balances: '{"member":"wx_union_8f3a2c","points":1280,"expiresAt":"2026-12-31T23:59:59+08:00","reference":"legacy-balance-8f3a2c"}',
};
const HELP: Record<Kind, MessageKey> = {
  members: 'imports.help.members',
  orders: 'imports.help.orders',
  points_balances: 'imports.help.points_balances',
};

/** An import's progress and its skipped lines, polled while it runs. */
function ImportProgress({ id }: { id: string }) {
  const { t, api, num, label } = useApp();
  const q = useApiQuery(keys.importJob(id), () => unwrap(api.GET('/v1/imports/{id}', { params: { path: { id } } })), {
    refetchInterval: (s) => (s.state.data && !ACTIVE.has(s.state.data.status) ? false : POLL_MS),
  });
  return (
    <QueryView query={q}>
      {(imp) => (
        <div className="flex flex-col gap-3" data-testid="import-progress" aria-live="polite">
          <ProgressBar value={imp.processed} max={imp.total} label={label('ImportStatus', imp.status)} />
          <p className="text-sm text-slate-700">
            {t('imports.progress', { done: num(imp.processed), total: num(imp.total) })} · {t('imports.imported')} {num(imp.imported)} ·{' '}
            {t('imports.skipped')} {num(imp.skipped)}
          </p>
          {imp.status === 'failed' && imp.error ? (
            <p role="alert" className="rounded-md bg-red-50 px-2 py-1 text-sm text-red-800">
              {t('imports.failed', { reason: imp.error })}
            </p>
          ) : null}
          <h3 className="font-semibold">{t('imports.errors')}</h3>
          {imp.errors.length === 0 ? (
            <p className="text-sm text-slate-600">{t('imports.noErrors')}</p>
          ) : (
            <>
              <DataList
                rows={imp.errors}
                rowKey={(e) => String(e.line)}
                caption={t('imports.errors')}
                columns={[
                  { label: t('imports.line'), cell: (e) => num(e.line) },
                  { label: t('imports.why'), cell: (e) => <span className="break-all">{e.message}</span> },
                ]}
              />
              {imp.errors.length >= 100 ? <p className="text-xs text-slate-600">{t('imports.more')}</p> : null}
            </>
          )}
        </div>
      )}
    </QueryView>
  );
}

export default function ImportsPage() {
  const { t, api, num, label, dateTime } = useApp();
  const canWrite = useCan()('write');
  const [kind, setKind] = useState<Kind>('members');
  const [file, setFile] = useState<File | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const list = useApiQuery(keys.imports(), () => unwrap(api.GET('/v1/imports', { params: { query: { limit: 50 } } })), {
    refetchInterval: (q) => (q.state.data?.data.some((i) => ACTIVE.has(i.status)) ? POLL_MS : false),
  });
  const upload = useApiMutation({
    run: async (v: { kind: Kind; file: File }) => {
      const created = await unwrap(api.POST('/v1/imports', { body: { kind: v.kind } }));
      setCurrent(created.id);
      // The file goes as it is (the browser streams it from disk; the dashboard's /v1 forwards the stream).
      return unwrap(
        api.PUT('/v1/imports/{id}/data', {
          params: { path: { id: created.id } },
          body: v.file as unknown as string,
          bodySerializer: (b: unknown) => b as BodyInit,
          headers: { 'Content-Type': 'application/x-ndjson' },
        }),
      );
    },
    invalidate: (d) => [keys.imports(), keys.importJob(d.id)],
    success: () => t('imports.started'),
  });
  return (
    <>
      <PageTitle>{t('imports.title')}</PageTitle>
      <p className="mb-4 max-w-3xl text-sm text-slate-700">{t('imports.intro')}</p>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card title={t('imports.new')}>
          {canWrite ? (
            <form
              className="flex flex-col gap-3"
              onSubmit={(e) => {
                e.preventDefault();
                if (file) upload.mutate({ kind, file });
              }}
            >
              <Select label={t('imports.kind')} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {label('ImportKind', k)}
                  </option>
                ))}
              </Select>
              <div className="flex flex-col gap-1 text-sm">
                <span className="font-medium text-slate-800" id="import-file-label">
                  {t('imports.file')}
                </span>
                {/* The browser's own file button speaks the browser's language: ours speaks the dashboard's. */}
                <label className="flex min-w-0 cursor-pointer flex-wrap items-center gap-3">
                  <input
                    type="file"
                    aria-labelledby="import-file-label"
                    accept=".ndjson,.jsonl,application/x-ndjson"
                    className="sr-only"
                    onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                  />
                  <span className="rounded-md bg-indigo-50 px-3 py-2 text-indigo-800">{t('imports.choose')}</span>
                  <span className="min-w-0 break-all text-slate-700">{file ? file.name : t('imports.noFile')}</span>
                </label>
              </div>
              <p className="text-xs text-slate-600">{t('imports.order')}</p>
              <p className="text-xs text-slate-600">{t('imports.again')}</p>
              <div>
                <Button type="submit" disabled={!file || upload.isPending}>
                  {upload.isPending ? t('imports.uploading') : t('imports.upload')}
                </Button>
              </div>
              {upload.error ? <ErrorNote error={upload.error} /> : null}
            </form>
          ) : (
            <p className="text-sm text-slate-600">{t('imports.readOnly')}</p>
          )}
          {current ? (
            <div className="mt-4 border-t border-slate-200 pt-4">
              <h3 className="mb-2 font-semibold">{t('imports.current')}</h3>
              <ImportProgress id={current} />
            </div>
          ) : null}
        </Card>
        <Card title={t('imports.format')}>
          <div className="flex flex-col gap-4 text-sm">
            {KINDS.map((k) => (
              <section key={k} className="min-w-0">
                <h3 className="font-semibold">{label('ImportKind', k)}</h3>
                <p className="text-slate-700">{t(HELP[k])}</p>
                <p className="mt-1 text-xs text-slate-600">{t('imports.example')}</p>
                <pre className="whitespace-pre-wrap break-all rounded-md bg-slate-50 p-2 text-xs">
                  <code>{EXAMPLES[k]}</code>
                </pre>
              </section>
            ))}
          </div>
        </Card>
      </div>
      <div className="mt-4">
        <Card title={t('imports.history')}>
          <QueryView query={list}>
            {(r) =>
              r.data.length === 0 ? (
                <EmptyState title={t('imports.noImports')} body={t('imports.noImportsHelp')} />
              ) : (
                <DataList
                  rows={r.data}
                  rowKey={(x) => x.id}
                  columns={[
                    { label: t('common.created'), cell: (x) => dateTime(x.createdAt) },
                    { label: t('imports.kind'), cell: (x) => label('ImportKind', x.kind) },
                    { label: t('common.status'), cell: (x) => label('ImportStatus', x.status) },
                    { label: t('imports.total'), cell: (x) => num(x.total) },
                    { label: t('imports.imported'), cell: (x) => num(x.imported) },
                    {
                      label: t('imports.skipped'),
                      cell: (x) => (
                        <button type="button" className="text-indigo-700 underline" onClick={() => setCurrent(x.id)}>
                          {num(x.skipped)}
                        </button>
                      ),
                    },
                  ]}
                />
              )
            }
          </QueryView>
        </Card>
      </div>
    </>
  );
}
