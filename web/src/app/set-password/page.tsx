import { getLocale } from '@/lib/server';
import { AppProvider } from '@/components/providers';
import { SetPasswordForm } from './set-password-form';

// The page an invite or reset link opens: /set-password#token=… (the token stays in the
// fragment, so it never reaches a server log or a Referer).
export default async function SetPasswordPage() {
  return (
    <AppProvider locale={await getLocale()}>
      <SetPasswordForm />
    </AppProvider>
  );
}
