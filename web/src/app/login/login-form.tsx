'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useApp } from '@/components/providers';
import { Button, Field } from '@/components/ui';
import { LanguageSwitcher } from '@/components/language-switcher';

export function LoginForm() {
  const { t, api } = useApp();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div className="mb-4 flex justify-end">
          <LanguageSwitcher />
        </div>
        <h1 className="mb-6 text-xl font-semibold">{t('login.title')}</h1>
        <form
          className="flex flex-col gap-4"
          onSubmit={async (e) => {
            e.preventDefault();
            const form = new FormData(e.currentTarget);
            setBusy(true);
            setError(null);
            try {
              const {
                data,
                error: problem,
                response,
              } = await api.POST('/v1/auth/login', {
                body: { email: String(form.get('email')), password: String(form.get('password')) },
              });
              if (!response.ok || !data) {
                const code = (problem as { code?: string } | undefined)?.code;
                setError(
                  response.status === 401 || response.status === 400
                    ? t('login.invalid')
                    : code === 'tenant_suspended'
                      ? t('login.suspended')
                      : t('common.error', { detail: response.statusText }),
                );
                return;
              }
              router.replace(data.user.role === 'platform_admin' ? '/platform' : '/');
              router.refresh();
            } catch (err) {
              setError(t('common.error', { detail: String(err) }));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Field label={t('login.email')} name="email" type="email" autoComplete="username" required />
          <Field label={t('login.password')} name="password" type="password" autoComplete="current-password" required />
          {error ? (
            <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-700">
              {error}
            </p>
          ) : null}
          <Button type="submit" disabled={busy}>
            {t('login.submit')}
          </Button>
        </form>
      </div>
    </main>
  );
}
