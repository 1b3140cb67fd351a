import { safe } from '../guard.ts';
import { emit } from './event.ts';
import { applyVariants } from './experiment.ts';

/**
 * Page views on load and on every later URL change, however it happened: `pushState`,
 * `replaceState`, `popstate`, or (with `hash`) a hash change. The URL is compared four times a
 * second rather than by wrapping `history` methods: smaller, and it also sees routers that kept
 * a reference to the original `pushState`. One view per distinct URL (the hash ignored unless
 * `hash`); no-code variants are applied to the new content first.
 */
export function capturePages(hash: boolean): void {
  let last: string;
  const view = safe(() => {
    const u = hash ? location.href : (location.href.split('#')[0] as string);
    if (u !== last) {
      last = u;
      applyVariants();
      emit('pageview');
    }
  });
  view();
  setInterval(view, 250);
}
