import { redirect } from 'next/navigation';
import { getLocale, getSession } from '@/lib/server';
import { AppProvider } from '@/components/providers';
import { LoginForm } from './login-form';

export default async function LoginPage() {
  const session = await getSession();
  if (session) redirect(session.user.role === 'platform_admin' ? '/platform' : '/');
  return (
    <AppProvider locale={await getLocale()}>
      <LoginForm />
    </AppProvider>
  );
}
