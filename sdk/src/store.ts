/**
 * First-party storage and random ids. Every access is guarded: storage throws in sandboxed
 * frames, when full, or when the user blocked it, and the host page must never see that.
 */
let st: Storage;

/** Picks the storage: `sessionStorage` in cookieless mode (nothing outlives the tab), else `localStorage`. */
export function useStorage(cookieless: boolean): void {
  try {
    st = cookieless ? sessionStorage : localStorage;
  } catch {}
}

/** The JSON value saved under `fh_<key>`; undefined when missing or unreadable. */
export function load<T>(key: string): T | undefined {
  try {
    return JSON.parse(st.getItem(`fh_${key}`) as string) || undefined;
  } catch {}
}

/** Saves `value` as JSON under `fh_<key>`. */
export function save(key: string, value: unknown): void {
  try {
    st.setItem(`fh_${key}`, JSON.stringify(value));
  } catch {}
}

/**
 * A random id of 128 bits. `getRandomValues` works on plain-http pages too, unlike
 * `crypto.randomUUID`, which needs a secure context.
 */
export const rid = (): string => crypto.getRandomValues(new Uint32Array(4)).join('');
