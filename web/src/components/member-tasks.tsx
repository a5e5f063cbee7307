'use client';
import { useApp } from './providers';
import { Badge, Card, Table, Td } from './ui';
import { QueryView } from './data-ui';
import { unwrap } from '@/lib/api';
import { keys, useApiQuery } from '@/lib/query';

/** A member's tasks (progress of the current window) and the members they invited. */
export function MemberTasksCard({ member }: { member: string }) {
  const { t, api, date } = useApp();
  const tasks = useApiQuery(keys.memberPart(member, 'tasks'), () => unwrap(api.GET('/v1/members/{member}/tasks', { params: { path: { member } } })));
  const referrals = useApiQuery(keys.memberPart(member, 'referrals'), () =>
    unwrap(api.GET('/v1/members/{member}/referrals', { params: { path: { member } } })),
  );
  return (
    <Card title={t('member.tasks')}>
      <QueryView query={tasks}>
        {(l) =>
          l.data.length === 0 ? (
            <p className="text-sm text-slate-500">{t('dash.member.noTasks')}</p>
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
      </QueryView>
      <h3 className="mb-2 mt-4 text-sm font-semibold">{t('member.referrals')}</h3>
      <QueryView query={referrals}>
        {(l) =>
          l.data.length === 0 ? (
            <p className="text-sm text-slate-500">{t('dash.member.noReferrals')}</p>
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
      </QueryView>
    </Card>
  );
}
