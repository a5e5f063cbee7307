'use client';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export type ToastTone = 'success' | 'error' | 'info';
interface Toast {
  id: number;
  text: string;
  tone: ToastTone;
}

type Notify = (text: string, tone?: ToastTone) => void;
const ToastCtx = createContext<Notify | null>(null);

/** How long a toast stays on screen. */
const TOAST_MS = 5000;

/**
 * Toasts after a save: a polite live region at the bottom of the screen (top on a phone would
 * cover the header), each one closable and gone after a few seconds.
 */
export function ToastProvider({ children, closeLabel }: { children: ReactNode; closeLabel: string }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (text, tone = 'success') => {
      const id = ++next.current;
      setToasts((all) => [...all.slice(-2), { id, text, tone }]);
      setTimeout(() => dismiss(id), TOAST_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  const tones: Record<ToastTone, string> = {
    success: 'border-green-200 bg-green-50 text-green-900',
    error: 'border-red-200 bg-red-50 text-red-900',
    info: 'border-slate-200 bg-white text-slate-900',
  };
  return (
    <ToastCtx.Provider value={value}>
      {children}
      <div
        aria-live="polite"
        data-testid="toasts"
        className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            data-testid="toast"
            className={`pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${tones[t.tone]}`}
          >
            <span className="flex-1 break-words">{t.text}</span>
            <button type="button" aria-label={closeLabel} className="text-slate-500 hover:text-slate-800" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastCtx.Provider>
  );
}

/** `toast(text)` shows a success toast; `toast(text, 'error')` an error. */
export function useToast(): Notify {
  const n = useContext(ToastCtx);
  if (!n) throw new Error('useToast outside ToastProvider');
  return n;
}
