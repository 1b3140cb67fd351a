import type { CollectEvent } from '@funnelhouse/schemas/types';
import { flag, type Options } from '../config.ts';
import { visitor } from '../identity.ts';
import { enqueue } from '../queue.ts';
import { rid, useStorage } from '../store.ts';

let cookieless: boolean;
let dnt: unknown;

/** Reads the privacy options: storage, cookieless ids, Do-Not-Track / Global Privacy Control. */
export function configure(o: Options): void {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean };
  cookieless = flag(o.cookieless);
  useStorage(cookieless);
  dnt = flag(o.respectDnt) && (n.doNotTrack === '1' || n.globalPrivacyControl);
}

/**
 * Builds one event of `type` from `fields` and queues it, unless the visitor opted out or the
 * site honours Do-Not-Track / Global Privacy Control and the browser sends it. The session's
 * landing referrer and campaign ride on every event, so any row can be attributed without
 * finding the session's first page.
 */
export function emit(type: CollectEvent['type'], fields?: object): void {
  if (dnt) return;
  const s = visitor();
  if (!s.o)
    enqueue({
      ...fields,
      type,
      id: rid(),
      ts: s.t,
      url: location.href,
      title: document.title,
      referrer: s.r,
      utm: s.u,
      ...(cookieless ? {} : { visitor_id: s.v, session_id: s.i }),
      user_id: s.d,
      cart_id: s.c,
      exp: s.x,
    } as CollectEvent);
}
