'use client';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useApp } from './providers';
import { Button, ErrorNote } from './ui';

/**
 * A form in a modal (native <dialog>: focus moves in, Escape cancels). While `onSubmit` runs
 * the controls are disabled; it closes when that succeeds, and an error stays in the dialog.
 */
export function FormDialog({
  open,
  title,
  submitLabel,
  danger = false,
  children,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  submitLabel: string;
  danger?: boolean;
  children: ReactNode;
  onSubmit: (data: FormData) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setError(null);
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      onClose={onClose}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg border border-slate-200 bg-white p-5 shadow-xl backdrop:bg-slate-900/40"
    >
      <h2 id={`${id}-title`} className="mb-3 text-base font-semibold text-slate-900">
        {title}
      </h2>
      {open ? (
        <form
          aria-label={title}
          aria-busy={busy || undefined}
          className="flex flex-col gap-3"
          onSubmit={async (e) => {
            e.preventDefault();
            const form = e.currentTarget;
            setBusy(true);
            setError(null);
            try {
              await onSubmit(new FormData(form));
              form.reset();
              onClose();
            } catch (err) {
              setError(err as Error);
            } finally {
              setBusy(false);
            }
          }}
        >
          <fieldset disabled={busy} className="contents">
            {children}
            {error ? <ErrorNote error={error} /> : null}
            <div className="mt-2 flex justify-end gap-2">
              <Button variant="secondary" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" variant={danger ? 'danger' : 'primary'}>
                {busy ? t('common.working') : submitLabel}
              </Button>
            </div>
          </fieldset>
        </form>
      ) : null}
    </dialog>
  );
}
