'use client';
import { useApp } from '@/components/providers';
import { Button, Card, ErrorNote, PageTitle } from '@/components/ui';
import { DataList, EmptyState, QueryView } from '@/components/data-ui';
import { unwrap, type Schemas } from '@/lib/api';
import { keys, useCursorQuery } from '@/lib/query';

type Entry = Schemas['AuditEntry'];

function summarize(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

export default function AuditPage() {
  const { t, api, dateTime } = useApp();
  const list = useCursorQuery<Entry>(keys.audit({}), (cursor) =>
    unwrap(api.GET('/v1/audit', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })),
  );
  const actor = (e: Entry) => (e.actor.type === 'user' ? t('dash.audit.user') : e.actor.type === 'api_key' ? t('dash.audit.apiKey') : e.actor.type === 'platform' ? t('dash.audit.platform') : t('dash.audit.system'));
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <Card>
        <QueryView query={list} rows={8}>
          {() =>
            list.rows.length === 0 ? (
              <EmptyState title={t('dash.audit.emptyTitle')} body={t('dash.audit.emptyHelp')} />
            ) : (
              <>
                <DataList
                  rows={list.rows}
                  rowKey={(e) => e.id}
                  caption={t('audit.title')}
                  columns={[
                    { label: t('audit.when'), cell: (e) => <span className="whitespace-nowrap">{dateTime(e.createdAt)}</span> },
                    {
                      label: t('audit.actor'),
                      cell: (e) => (
                        <>
                          {actor(e)}
                          {e.actor.id ? <span className="block break-all text-xs text-slate-500">{e.actor.id}</span> : null}
                        </>
                      ),
                    },
                    { label: t('audit.action'), cell: (e) => <span className="break-all font-mono text-xs">{e.action}</span> },
                    { label: t('audit.target'), cell: (e) => <span className="break-all">{[e.target.type, e.target.id].filter(Boolean).join(' ')}</span> },
                    {
                      label: t('audit.change'),
                      className: 'max-w-xs',
                      cell: (e) => (
                        <span className="block break-all font-mono text-xs text-slate-600">
                          {summarize(e.before)}
                          {e.before !== null && e.before !== undefined ? ' → ' : ''}
                          {summarize(e.after)}
                        </span>
                      ),
                    },
                  ]}
                />
                {list.hasNextPage ? (
                  <div className="mt-3">
                    <Button variant="secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                      {t('common.more')}
                    </Button>
                    {list.isFetchNextPageError && list.error ? <ErrorNote error={list.error} /> : null}
                  </div>
                ) : null}
              </>
            )
          }
        </QueryView>
      </Card>
    </>
  );
}
