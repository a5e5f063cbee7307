'use client';
import { useApp } from './providers';
import { Button } from './ui';

/** What a page shows when rendering it failed: the message and a retry. */
export function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useApp();
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <p>{t('common.error', { detail: error.digest ? `#${error.digest}` : error.message })}</p>
      <Button variant="secondary" className="mt-3" onClick={reset}>
        {t('common.retry')}
      </Button>
    </div>
  );
}
