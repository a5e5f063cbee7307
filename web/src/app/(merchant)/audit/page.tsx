'use client';
import { MoreButton, useCursorList } from '@/components/cursor-list';
import { useApp } from '@/components/providers';
import { Async, Card, PageTitle, Table, Td } from '@/components/ui';
import { unwrap, type Schemas } from '@/lib/api';

type Entry = Schemas['AuditEntry'];

function summarize(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

export default function AuditPage() {
  const { t, api, dateTime } = useApp();
  const list = useCursorList<Entry>(
    (cursor) => unwrap(api.GET('/v1/audit', { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })),
    [],
  );
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <Card>
        <Async state={list.first}>
          {() => {
            const rows = list.rows;
            if (rows.length === 0) return <p className="text-sm text-slate-500">{t('common.none')}</p>;
            return (
              <>
                <Table head={[t('audit.when'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.change')]}>
                  {rows.map((e) => (
                    <tr key={e.id}>
                      <Td className="whitespace-nowrap">{dateTime(e.createdAt)}</Td>
                      <Td>
                        {e.actor.type}
                        {e.actor.id ? <span className="block text-xs text-slate-500">{e.actor.id}</span> : null}
                      </Td>
                      <Td className="font-mono">{e.action}</Td>
                      <Td>{[e.target.type, e.target.id].filter(Boolean).join(' ')}</Td>
                      <Td className="max-w-xs break-all font-mono text-xs text-slate-600">
                        {summarize(e.before)}
                        {e.before !== null && e.before !== undefined ? ' → ' : ''}
                        {summarize(e.after)}
                      </Td>
                    </tr>
                  ))}
                </Table>
                <MoreButton list={list} />
              </>
            );
          }}
        </Async>
      </Card>
    </>
  );
}
