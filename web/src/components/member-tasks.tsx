'use client';
import { useApp, useLoad } from './providers';
import { Async, Badge, Card, Table, Td } from './ui';
import { unwrap } from '@/lib/api';

/** A member's tasks (progress of the current window) and the members they invited. */
export function MemberTasksCard({ member }: { member: string }) {
  const { t, api, date } = useApp();
  const tasks = useLoad(() => unwrap(api.GET('/v1/members/{member}/tasks', { params: { path: { member } } })), [member]);
  const referrals = useLoad(() => unwrap(api.GET('/v1/members/{member}/referrals', { params: { path: { member } } })), [member]);
  return (
    <Card title={t('member.tasks')}>
      <Async state={tasks}>
        {(l) =>
          l.data.length === 0 ? (
            <p className="text-sm text-slate-500">{t('common.none')}</p>
          ) : (
            <Table head={[t('common.name'), t('member.taskProgress'), t('common.status')]}>
              {l.data.map((x) => (
                <tr key={x.code}>
                  <Td>{x.name}</Td>
                  <Td>
                    {x.progress} / {x.target}
                  </Td>
                  <Td>{x.completed ? <Badge tone="green">{t('member.taskDone')}</Badge> : <Badge>{t('member.taskOpen')}</Badge>}</Td>
                </tr>
              ))}
            </Table>
          )
        }
      </Async>
      <h3 className="mb-2 mt-4 text-sm font-semibold">{t('member.referrals')}</h3>
      <Async state={referrals}>
        {(l) =>
          l.data.length === 0 ? (
            <p className="text-sm text-slate-500">{t('common.none')}</p>
          ) : (
            <Table head={[t('campaigns.member'), t('member.joined'), t('common.status')]}>
              {l.data.map((r) => (
                <tr key={r.unionId}>
                  <Td>{r.unionId}</Td>
                  <Td>{date(r.joinedAt)}</Td>
                  <Td>
                    <Badge tone={r.status === 'completed' ? 'green' : r.status === 'revoked' ? 'red' : 'slate'}>{t(`member.referral.${r.status}`)}</Badge>
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
