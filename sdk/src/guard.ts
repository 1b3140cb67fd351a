/** No exception from the tracker may reach the host page: every entry point goes through here. */

/** `fn`, with anything it throws swallowed. */
export const safe =
  <A extends unknown[], R>(fn: (...a: A) => R) =>
  (...a: A): R | undefined => {
    try {
      return fn(...a);
    } catch {}
  };

/** `addEventListener` in the capture phase, with the listener wrapped by `safe`. */
export const on = (target: EventTarget, type: string, fn: (e: Event) => unknown): void =>
  target.addEventListener(type, safe(fn), true);
