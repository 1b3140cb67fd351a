/**
 * A view whose code is fetched the first time it is shown: the first load carries the shell, the
 * sign-in and the overview; the other views (funnels, experiments, carts, settings, install, keys)
 * arrive as their own hashed chunks when opened (esbuild `splitting`, see build.mjs).
 */
import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  return function LazyView(props: P) {
    const [failed, setFailed] = useState(false);
    const [, setReady] = useState(loaded !== undefined);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      pending ??= load();
      pending.then(
        (c) => {
          loaded = c;
          if (live) setReady(true);
        },
        () => {
          pending = undefined; // the next visit tries again
          if (live) setFailed(true);
        },
      );
      return () => {
        live = false;
      };
    }, []);
    if (loaded) {
      const View = loaded;
      return <View {...props} />;
    }
    return (
      <main aria-busy={!failed}>
        <p class="muted" role={failed ? 'alert' : 'status'}>
          {failed ? 'Could not load this view. Check the connection and reload the page.' : 'Loading…'}
        </p>
      </main>
    );
  };
}
