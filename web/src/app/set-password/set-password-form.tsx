'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useApp } from '@/components/providers';
import { Button, Field } from '@/components/ui';
import { LanguageSwitcher } from '@/components/language-switcher';

export function SetPasswordForm() {
  const { t, api } = useApp();
  const router = useRouter();
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
    setToken(m ? decodeURIComponent(m[1]!) : null);
  }, []);
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div className="mb-4 flex justify-end">
          <LanguageSwitcher />
        </div>
        <h1 className="mb-6 text-xl font-semibold">{t('setPassword.title')}</h1>
        {token === null ? (
          <p role="alert" className="rounded-md bg-amber-50 p-2 text-sm text-amber-800">
            {t('setPassword.missing')}
          </p>
        ) : (
          <form
            className="flex flex-col gap-4"
            onSubmit={async (e) => {
              e.preventDefault();
              if (!token) return;
              const form = new FormData(e.currentTarget);
              const password = String(form.get('password'));
              setError(null);
              setFieldError(null);
              if (password.length < 10) return setFieldError(t('setPassword.tooShort'));
              if (password !== String(form.get('confirm'))) return setFieldError(t('setPassword.mismatch'));
              setBusy(true);
              try {
                const set = await api.POST('/v1/auth/set-password', { body: { token, password } });
                if (!set.response.ok || !set.data) {
                  const code = (set.error as { code?: string } | undefined)?.code;
                  setError(code === 'link_invalid' ? t('setPassword.invalid') : t('common.error', { detail: set.response.statusText }));
                  return;
                }
                // The link is used: drop it from the address bar and history.
                window.history.replaceState(null, '', '/set-password');
                const login = await api.POST('/v1/auth/login', { body: { email: set.data.email, password } });
                if (!login.response.ok) {
                  const code = (login.error as { code?: string } | undefined)?.code;
                  setError(code === 'tenant_suspended' ? t('login.suspended') : t('common.error', { detail: login.response.statusText }));
                  return;
                }
                router.replace('/');
                router.refresh();
              } catch (err) {
                setError(t('common.error', { detail: String(err) }));
              } finally {
                setBusy(false);
              }
            }}
          >
            <Field
              label={t('setPassword.password')}
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              maxLength={255}
              hint={t('setPassword.hint')}
            />
            <Field label={t('setPassword.confirm')} name="confirm" type="password" autoComplete="new-password" required error={fieldError ?? undefined} />
            {error ? (
              <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-700">
                {error}
              </p>
            ) : null}
            <Button type="submit" disabled={busy || !token}>
              {t('setPassword.submit')}
            </Button>
          </form>
        )}
      </div>
    </main>
  );
}
