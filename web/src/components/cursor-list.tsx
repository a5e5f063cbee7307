'use client';
import { useRef, useState } from 'react';
import { useApp, useLoad, type Loaded } from './providers';
import { Button, ErrorNote } from './ui';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** A cursor-paged list: the first page loads with the page, "More" appends the next. */
export interface CursorList<T> {
  /** The first page's load (for `<Async>`): loading and error states. */
  first: Loaded<Page<T>>;
  /** Every row loaded so far. */
  rows: T[];
  /** Changes rows in place (an action updated one). */
  update(fn: (rows: T[]) => T[]): void;
  cursor: string | null;
  loadMore(): Promise<void>;
}

/**
 * `fetchPage(null)` is the first page; `fetchPage(cursor)` the next. When `deps` change (a new
 * search), the list starts again from the first page.
 */
export function useCursorList<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, deps: unknown[]): CursorList<T> {
  const [rows, setRows] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  // Each first-page load starts a generation: a response of an older one (a search typed over
  // while it loaded) is dropped, so it cannot overwrite the rows of the newer search.
  const generation = useRef(0);
  const first = useLoad(async () => {
    const mine = ++generation.current;
    const page = await fetchPage(null);
    if (mine === generation.current) {
      setRows(page.data);
      setCursor(page.nextCursor);
    }
    return page;
  }, deps);
  return {
    first,
    rows,
    update: (fn) => setRows(fn),
    cursor,
    async loadMore() {
      if (!cursor) return;
      const mine = generation.current;
      const page = await fetchPage(cursor);
      if (mine !== generation.current) return;
      setRows((r) => [...r, ...page.data]);
      setCursor(page.nextCursor);
    },
  };
}

/** "More" under a cursor list, while there is a next page; disabled while it loads, errors shown. */
export function MoreButton<T>({ list }: { list: CursorList<T> }) {
  const { t } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  if (!list.cursor) return null;
  return (
    <div className="mt-3">
      <Button
        variant="secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await list.loadMore();
          } catch (e) {
            setError(e instanceof Error ? e : new Error(String(e)));
          } finally {
            setBusy(false);
          }
        }}
      >
        {t('common.more')}
      </Button>
      {error ? <ErrorNote error={error} /> : null}
    </div>
  );
}
