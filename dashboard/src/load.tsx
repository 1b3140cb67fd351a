/** Loading, error and empty states, and the hook that runs a view's requests. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure } from './api.ts';
import { todayIn } from './range.ts';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; error: ApiFailure }
  | { state: 'ok'; data: T };

/** Runs `load` whenever a dependency changes; an answer to an outdated request is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    load().then(
      (data) => live && setResult({ state: 'ok', data }),
      (e: unknown) =>
        live &&
        setResult({
          state: 'error',
          error: e instanceof ApiFailure ? e : new ApiFailure(0, 'client_error', String(e)),
        }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [result, () => setTick((t) => t + 1)];
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="status" role="status" aria-busy="true">
      Loading {what}…
    </p>
  );
}

export function Failed({ error, retry }: { error: ApiFailure; retry?: () => void }) {
  return (
    <div class="banner error" role="alert">
      <strong>Could not load this view.</strong> {error.message}
      {error.code ? <code class="code">{error.code}</code> : null}
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** Renders `ok` with the data, or the loading / error state. */
export function Show<T>({
  loaded,
  what,
  retry,
  children,
}: {
  loaded: Loaded<T>;
  what: string;
  retry?: () => void;
  children: (data: T) => ComponentChildren;
}) {
  if (loaded.state === 'loading') return <Loading what={what} />;
  if (loaded.state === 'error') return <Failed error={loaded.error} {...(retry ? { retry } : {})} />;
  return <>{children(loaded.data)}</>;
}

/** A report's bound as a day: a date as is, an instant as its day in `tz` (an end bound is exclusive). */
function dayOf(bound: string, tz: string, end: boolean): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(bound)) return bound;
  const ms = Date.parse(bound);
  return Number.isNaN(ms) ? bound : todayIn(tz, end ? ms - 1 : ms);
}

/**
 * Said instead of a comparison when "Compare with previous period" is on but that period has
 * no data (a new site): "new" or "+100 %" against nothing would only mislead.
 */
export function NoPrevious({ from, to, tz }: { from: string; to: string; tz: string }) {
  return (
    <p class="muted small" data-note="no-previous">
      Compare with previous period: no data in the previous period ({dayOf(from, tz, false)} –{' '}
      {dayOf(to, tz, true)}), so nothing to compare with yet.
    </p>
  );
}
