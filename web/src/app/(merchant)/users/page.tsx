'use client';
import { useState } from 'react';
import { useApp } from '@/components/providers';
import { DataList, QueryView } from '@/components/data-ui';
import { keys, useApiMutation, useApiQuery } from '@/lib/query';
import { Badge, Button, Card, ConfirmDialog, ErrorNote, Field, PageTitle, Select, ShowOnce, SubmitForm } from '@/components/ui';
import { ApiError, unwrap, type Schemas } from '@/lib/api';

type User = Schemas['User'];
type Role = User['role'];
const ROLES: Role[] = ['owner', 'admin', 'staff', 'viewer'];
type Pending = { kind: 'disable' | 'remove' | 'reset'; user: User } | null;

export default function UsersPage() {
  const { t, api, user: me, dateTime } = useApp();
  const users = useApiQuery(keys.users(), () => unwrap(api.GET('/v1/users', { params: { query: { limit: 200 } } })));
  const stores = useApiQuery(keys.stores(), () => unwrap(api.GET('/v1/stores', { params: { query: { limit: 200 } } })));
  // Every change of a user reads the list again (a refused one too: the select shows what is
  // stored) and says what happened in a toast.
  const change = useApiMutation({
    run: (v: { user: User; body: { role?: Role; disabled?: boolean } }) =>
      unwrap(api.PATCH('/v1/users/{id}', { params: { path: { id: v.user.id } }, body: v.body })),
    invalidate: () => [keys.users()],
    success: (u, v) =>
      v.body.role
        ? t('dash.users.roleChanged', { email: u.email, role: t(`role.${u.role}`) })
        : t(v.body.disabled ? 'dash.users.disabled' : 'dash.users.enabled', { email: u.email }),
  });
  const invite = useApiMutation({
    run: (body: Schemas['CreateUser']) => unwrap(api.POST('/v1/users', { body })),
    invalidate: () => [keys.users()],
    success: (u) => t('dash.users.invited', { email: u.email }),
  });
  const remove = useApiMutation({
    run: (u: User) => unwrap(api.DELETE('/v1/users/{id}', { params: { path: { id: u.id } } })),
    invalidate: () => [keys.users()],
    success: (_, u) => t('dash.users.removed', { email: u.email }),
  });
  const reset = useApiMutation({
    run: (u: User) => unwrap(api.POST('/v1/users/{id}/reset-password', { params: { path: { id: u.id } } })),
    invalidate: () => [keys.users()],
    success: (_, u) => t('dash.users.resetDone', { email: u.email }),
  });
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [inviteRole, setInviteRole] = useState<Role>('staff');
  const storeName = (id: string) => stores.data?.data.find((s) => s.id === id)?.name ?? id;
  const showLink = (email: string, path: string) => setLink({ email, url: `${window.location.origin}${path}` });
  // Known refusals in the user's language; anything else as the API said it.
  const message = (err: Error | null) =>
    err instanceof ApiError && err.code === 'last_owner'
      ? t('users.lastOwner')
      : err instanceof ApiError && err.code === 'conflict'
        ? t('users.emailTaken')
        : null;
  const patch = async (u: User, body: { role?: Role; disabled?: boolean }) => {
    setError(null);
    try {
      await change.mutateAsync({ user: u, body });
    } catch (err) {
      setError(err as Error);
      await users.refetch();
    }
  };
  return (
    <>
      <PageTitle>{t('users.title')}</PageTitle>
      {link ? (
        <div className="mb-4">
          <ShowOnce label={t('users.inviteLink', { email: link.email })} value={link.url} />
        </div>
      ) : null}
      {error ? (
        message(error) ? (
          <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            {message(error)}
          </p>
        ) : (
          <div className="mb-4">
            <ErrorNote error={error} />
          </div>
        )
      ) : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <Card className="min-w-0 lg:col-span-2">
          <QueryView query={users}>
            {(list) =>
              list.data.length === 0 ? (
                <p className="text-sm text-slate-500">{t('common.none')}</p>
              ) : (
                <DataList
                  rows={list.data}
                  rowKey={(u) => u.id}
                  caption={t('users.title')}
                  rowTestId={(u) => `user-${u.email}`}
                  columns={[
                    {
                      label: t('users.email'),
                      cell: (u) => (
                        <>
                          <span className="[overflow-wrap:anywhere]">{u.email}</span>
                          {u.id === me?.id ? <span className="ml-1 text-xs text-slate-500">({t('users.you')})</span> : null}
                          {u.name ? <div className="text-xs text-slate-500">{u.name}</div> : null}
                        </>
                      ),
                    },
                    {
                      label: t('users.role'),
                      cell: (u) => (
                        <>
                          <select
                            aria-label={t('users.changeRole', { email: u.email })}
                            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                            value={u.role}
                            onChange={(e) => void patch(u, { role: e.target.value as Role })}
                          >
                            {ROLES.map((r) => (
                              <option key={r} value={r}>
                                {t(`role.${r}`)}
                              </option>
                            ))}
                          </select>
                        </>
                      ),
                    },
                    {
                      label: t('users.stores'),
                      cell: (u) => <>{u.storeIds.length ? u.storeIds.map(storeName).join(', ') : t('users.allStores')}</>,
                    },
                    {
                      label: t('common.status'),
                      cell: (u) => (
                        <>
                          <Badge tone={u.status === 'active' ? 'green' : u.status === 'invited' ? 'amber' : 'red'}>
                            {t(`users.status.${u.status}`)}
                          </Badge>
                        </>
                      ),
                    },
                    { label: t('users.lastLogin'), cell: (u) => <>{u.lastLoginAt ? dateTime(u.lastLoginAt) : t('common.never')}</> },
                    {
                      label: t('common.actions'),
                      cell: (u) => (
                        <>
                          <div className="flex flex-wrap gap-1">
                            {u.status === 'disabled' ? (
                              <Button variant="secondary" onClick={() => void patch(u, { disabled: false })}>
                                {t('users.enable')}
                              </Button>
                            ) : (
                              <Button
                                variant="secondary"
                                aria-label={`${t('users.disable')} ${u.email}`}
                                onClick={() => setPending({ kind: 'disable', user: u })}
                              >
                                {t('users.disable')}
                              </Button>
                            )}
                            <Button
                              variant="secondary"
                              aria-label={`${t('users.resetPassword')} ${u.email}`}
                              onClick={() => setPending({ kind: 'reset', user: u })}
                            >
                              {t('users.resetPassword')}
                            </Button>
                            <Button
                              variant="danger"
                              aria-label={`${t('users.remove')} ${u.email}`}
                              onClick={() => setPending({ kind: 'remove', user: u })}
                            >
                              {t('users.remove')}
                            </Button>
                          </div>
                        </>
                      ),
                    },
                  ]}
                />
              )
            }
          </QueryView>
        </Card>
        <Card title={t('users.invite')}>
          <SubmitForm
            label={t('users.invite')}
            onError={setError}
            onSubmit={async (d, form) => {
              const email = String(d.get('email'));
              const name = String(d.get('name') || '');
              const storeIds = inviteRole === 'staff' ? d.getAll('storeIds').map(String) : [];
              const r = await invite.mutateAsync({
                email,
                role: inviteRole,
                ...(name ? { name } : {}),
                ...(storeIds.length ? { storeIds } : {}),
              });
              if (r.setPassword) showLink(r.email, r.setPassword.path);
              form.reset();
              setInviteRole('staff');
            }}
          >
            <Field label={t('users.email')} name="email" type="email" required maxLength={255} />
            <Field label={t('common.name')} name="name" maxLength={100} />
            <Select label={t('users.role')} name="role" value={inviteRole} onChange={(e) => setInviteRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </Select>
            <p className="-mt-2 text-xs text-slate-500" data-testid="role-hint">
              {t(`role.${inviteRole}.hint`)}
            </p>
            {inviteRole === 'staff' ? (
              <fieldset className="flex flex-col gap-1">
                <legend className="text-sm font-medium text-slate-700">{t('users.stores')}</legend>
                <p className="text-xs text-slate-500">{t('users.storesHint')}</p>
                {stores.data?.data.map((s) => (
                  <label key={s.id} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="storeIds" value={s.id} /> {s.name}
                  </label>
                ))}
              </fieldset>
            ) : null}
            <Button type="submit">{t('users.invite')}</Button>
          </SubmitForm>
        </Card>
      </div>
      <ConfirmDialog
        open={pending !== null}
        title={
          pending
            ? t(pending.kind === 'disable' ? 'users.disable' : pending.kind === 'remove' ? 'users.remove' : 'users.resetPassword')
            : ''
        }
        confirmLabel={
          pending
            ? t(pending.kind === 'disable' ? 'users.disable' : pending.kind === 'remove' ? 'users.remove' : 'users.resetPassword')
            : ''
        }
        onClose={() => setPending(null)}
        onConfirm={async () => {
          if (!pending) return;
          const u = pending.user;
          try {
            if (pending.kind === 'disable') await change.mutateAsync({ user: u, body: { disabled: true } });
            if (pending.kind === 'remove') await remove.mutateAsync(u);
            if (pending.kind === 'reset') {
              const r = await reset.mutateAsync(u);
              if (r) showLink(u.email, r.path);
            }
            setPending(null);
          } catch (err) {
            const text = message(err as Error);
            throw text ? new Error(text) : err;
          }
        }}
      >
        {pending
          ? t(
              pending.kind === 'disable'
                ? 'users.confirmDisable'
                : pending.kind === 'remove'
                  ? 'users.confirmRemove'
                  : 'users.confirmReset',
              { email: pending.user.email },
            )
          : null}
      </ConfirmDialog>
    </>
  );
}
