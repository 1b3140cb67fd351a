import type { CollectBody, CollectEvent } from '@funnelhouse/schemas/types';
import { assignVariant } from './assign.ts';
import type { Flag, Options } from './config.ts';
import type { CommerceData, Fh, Visitor } from './types.ts';

type Fields = object | undefined;

/**
 * The tracker: capture → queue → transport, as one closure on purpose. f.js must stay within
 * 2,048 bytes gzipped with every feature; the same code split into a module per stage measured
 * 2,144–2,173 bytes (each call-and-parameter boundary between stages costs gzipped bytes, and
 * neither esbuild nor terser inlines them away), so the stages are the sections below, in the
 * order an event travels. Nothing here may throw into the page: every listener and command runs
 * inside `safe`, and the script-tag build wraps the whole script in try/catch.
 *
 * `queued` holds calls made through the pre-load stub; they are replayed before the first page
 * view, so that view already carries the identity and experiments they set.
 */
export function createTracker(o: Options, queued: IArguments[] = []): Fh {
  // ── guard ────────────────────────────────────────────────────────────────────────────────
  const safe =
    <A extends unknown[], R>(fn: (...a: A) => R) =>
    (...a: A): R | undefined => {
      try {
        return fn(...a);
      } catch {}
    };
  /** `addEventListener` in the capture phase, the listener wrapped by `safe`. */
  const on = (target: EventTarget, type: string, fn: (e: Event) => unknown) =>
    target.addEventListener(type, safe(fn), true);
  /** A flag is on when set and not `false` / `'false'`. */
  const flag = (v?: Flag) => v != null && `${v}` !== 'false';
  const cookieless = flag(o.cookieless);
  // On unless set to false: `${undefined}` is 'undefined'.
  const auto = `${o.autocapture}` !== 'false';

  // ── store ────────────────────────────────────────────────────────────────────────────────
  // First-party storage: sessionStorage in cookieless mode (nothing outlives the tab), else
  // localStorage. Every access is guarded: storage throws in sandboxed frames, when full, or
  // when the user blocked it.
  let st!: Storage;
  try {
    st = cookieless ? sessionStorage : localStorage;
  } catch {}
  const load = <T>(key: string): T | undefined => {
    try {
      return JSON.parse(st.getItem(`fh_${key}`) as string) || undefined;
    } catch {}
  };
  const save = (key: string, value?: unknown) => {
    try {
      value ? st.setItem(`fh_${key}`, JSON.stringify(value)) : st.removeItem(`fh_${key}`);
    } catch {}
  };
  // 128 random bits; getRandomValues works on plain-http pages too, unlike randomUUID.
  const rid = () => crypto.getRandomValues(new Uint32Array(4)).join('');

  // ── identity ─────────────────────────────────────────────────────────────────────────────
  /**
   * The visitor, with the session touched: thirty minutes without activity start a new session,
   * which records the landing page's referrer (the server classifies one of the site itself as
   * `internal`), its UTM parameters and which ad click id it carried. Only the click id's kind
   * is sent, never its value; the match is loose (…clid, …clkid, …braid, li_fat_id, epik,
   * sccid) because the server keeps only the kinds it knows. `change` edits before saving.
   */
  const visitor = (change?: (s: Visitor) => unknown): Visitor => {
    const now = Date.now();
    const s = load<Visitor>('s') || ({ v: rid() } as Visitor);
    if (!(now - s.t < 18e5)) {
      const p = new URLSearchParams(location.search);
      s.u = { click_id: [...p.keys()].find((k) => /clk?id$|braid$|^li_fat_id$|^epik$|^sccid$/.test(k)) };
      for (const [k, v] of p) if (k.startsWith('utm_')) s.u[k.slice(4) as 'source'] = v;
      s.i = rid();
      s.r = document.referrer;
    }
    s.t = now;
    change?.(s);
    save('s', s);
    return s;
  };

  // ── queue and transport ──────────────────────────────────────────────────────────────────
  // Events not yet answered for, oldest first (the first ones may be on their way), mirrored to
  // storage at every change (at most 500) under this page's own key, `fh_q<random>`: one list
  // written back whole by every tab lost the other tabs' events. A page first adopts each list
  // it finds (closed, crashed or live pages', and older snippets' `fh_q`), so nothing is lost and
  // events go again with their ids; a live tab rewrites its list at its next change, so an
  // event may be sent by two tabs, and the server stores it once.
  const me = rid();
  let q: CollectEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let busy: unknown;
  let fails = 0;
  const set = (list: CollectEvent[]) => {
    q = list.slice(-500);
    // An empty list removes the key, else a key per page view would pile up.
    save(`q${me}`, q[0] && q);
  };
  // Each adopted list is under this page's key before its old key goes.
  try {
    for (const k of Object.keys(st)) {
      if (k.startsWith('fh_q')) {
        set([...q, ...(load(k.slice(3)) as CollectEvent[])]);
        save(k.slice(3));
      }
    }
  } catch {}
  // The batch as JSON the server accepts: strings cut to its limits (URLs to 2048 characters,
  // the rest to 500), so a long title or text never gets a batch refused; nulls (absent
  // attributes) left out. A string body goes as text/plain: a CORS "simple" request, no preflight.
  const body = (events: CollectEvent[]) =>
    JSON.stringify({ site: o.site, sent_at: Date.now(), events } satisfies CollectBody, (k, v) =>
      typeof v === 'string' ? v.slice(0, k === 'url' ? 2048 : 500) : (v ?? undefined),
    );
  const later = (ms: number) => {
    timer ||= setTimeout(flush, ms);
  };
  /** Sends the oldest batch (100 events, the server's limit) unless one is on its way. */
  const flush = () => {
    clearTimeout(timer);
    timer = 0;
    const batch = q.slice(0, 100);
    const data = body(batch);
    if (busy || !batch[0]) return;
    // keepalive lets the request outlive the page; browsers cap such bodies at 64 KiB in total.
    busy = fetch(o.endpoint, { method: 'POST', body: data, keepalive: data.length < 6e4 })
      .catch(() => {})
      .then((r) => {
        busy = 0;
        // Undefined after a network failure; fetch follows redirects, so no final 3xx.
        const status = r?.status as number;
        if (status > 199 && status < 500 && status !== 429) {
          // Stored (a 202 is final, its rejected events never storable) or refused for good (a
          // 4xx other than 429): never send these again.
          set(q.filter((e) => !batch.includes(e)));
          fails = 0;
          later(0);
        } else {
          // Network failure, 429 or 5xx: the same events again, after Retry-After or a backoff.
          // Full jitter: a random delay up to the doubled (at most one minute) backoff.
          later(
            Math.max(
              (r?.headers.get('retry-after') as unknown as number) * 1e3 || 0,
              Math.random() * Math.min(1e3 * 2 ** fails++, 6e4),
            ),
          );
        }
      });
  };
  later(1e3);
  // Hidden (tab switch, minimise, close, or navigating away) is the last moment a page can
  // count on: waiting events go to sendBeacon, which delivers them after the page is gone. While
  // a send is on its way or the server is failing, they stay in storage for the next page.
  on(
    document,
    'visibilitychange',
    () =>
      document.hidden &&
      !busy &&
      !fails &&
      q[0] &&
      navigator.sendBeacon(o.endpoint, body(q.slice(0, 100))) &&
      set(q.slice(100)),
  );

  // ── capture: every event ─────────────────────────────────────────────────────────────────
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const dnt = flag(o.respectDnt) && (nav.doNotTrack === '1' || nav.globalPrivacyControl);
  /**
   * One event of `type`, queued unless the visitor opted out or the site honours Do-Not-Track /
   * Global Privacy Control and the browser sends it. The session's landing referrer and
   * campaign ride on every event, so any row can be attributed on its own.
   */
  const emit = (type: CollectEvent['type'], fields?: Fields) => {
    if (dnt) return;
    const s = visitor();
    if (s.o) return;
    set([
      ...q,
      {
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
      } as CollectEvent,
    ]);
    later(1e3);
  };

  // ── capture: experiments ─────────────────────────────────────────────────────────────────
  /**
   * The visitor's variant of experiment `key`: assigned from the visitor id at the first call,
   * stored, and announced by the one `exposure` of this visitor and experiment; later calls
   * return the stored variant while it is still one of `variants`. At most 20 assignments are
   * kept (the server's limit), the earliest dropped first.
   */
  const variant = (key: string, variants: string[], weights?: number[] | null, cb?: (v: string) => void) => {
    const s = visitor();
    const x = s.x || {};
    let v = x[key] as string;
    if (!variants.includes(v)) {
      x[key] = v = assignVariant(s.v, key, variants, weights);
      for (const k of Object.keys(x).slice(0, -20)) delete x[k];
      visitor((s) => (s.x = x));
      emit('exposure', { name: key, variant: v });
    }
    cb?.(v);
    return v;
  };

  // ── capture: clicks ──────────────────────────────────────────────────────────────────────
  // Links, buttons and [data-fh] elements (with autocapture off, [data-fh-event] only), with tag,
  // id, class attribute, text and link target. The server trims the text, collapses its
  // whitespace runs and builds the selector from tag, id and classes (`button#buy.cta`): work
  // done there costs the snippet no bytes.
  // Declarative events: data-fh-event="signup" names the click, data-fh-prop-plan="pro" adds props.
  on(document, 'click', (e) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>(
      auto ? 'a,button,[data-fh],[data-fh-event]' : '[data-fh-event]',
    );
    if (!el) return;
    const props: Record<string, string> = {};
    for (const a of el.attributes) if (a.name.startsWith('data-fh-prop-')) props[a.name.slice(13)] = a.value;
    const href = (el as unknown as { href?: string | SVGAnimatedString }).href;
    emit('click', {
      name: el.dataset.fhEvent,
      props,
      el: {
        tag: el.localName,
        id: el.id,
        classes: el.getAttribute('class'),
        text: el.textContent,
        // An SVG link's href is an object holding the string.
        href: (href as SVGAnimatedString)?.baseVal ?? href,
      },
    });
  });

  // ── capture: forms ───────────────────────────────────────────────────────────────────────
  // form_start at the first input into a form (once per form element; `input` fires for every
  // kind of field) and form_submit, with the form's id, name and field *names* (the server
  // drops repeats, as radio buttons share a name): values are never read. getAttribute, because a field called "id" or "name" shadows form.id / form.name.
  if (auto) {
    const started = new Set<HTMLFormElement>();
    const send = (type: 'form_start' | 'form_submit', f: HTMLFormElement) =>
      emit(type, {
        form: {
          id: f.getAttribute('id'),
          name: f.getAttribute('name'),
          // Named fields only: buttons and fieldsets count as elements, and at most 100 fit.
          fields: [...f.elements].map((e) => (e as HTMLInputElement).name).filter(String),
        },
      });
    on(document, 'input', (e) => {
      const f = (e.target as HTMLInputElement).form;
      if (f && !started.has(f)) send('form_start', started.add(f) && f);
    });
    on(document, 'submit', (e) => send('form_submit', e.target as HTMLFormElement));
  }

  // ── capture: orders, and the commands ────────────────────────────────────────────────────
  // Product, cart and order commands take the GA4 names (view_item, add_to_cart, …, purchase);
  // any other name is sent as it is and refused by
  // the server. The one-item form ({id, name, price, …, currency}) becomes `items: [it]` with the
  // object's own fields kept beside it (currency, revenue, props, order_id): the server keeps the
  // event's fields and the item's, and drops the rest (an item's `currency`, the event's `name`). The cart id is made at the first add_to_cart and kept (across sessions) until
  // purchase, which still carries it, so an abandoned cart can be followed.
  const fh = safe(
    // biome-ignore lint/suspicious/noExplicitAny: arguments arrive untyped from the page; each command reads its own.
    (cmd: string, a?: any, b?: any, c?: any, d?: any): unknown => {
      if (cmd === 'variant') return variant(a, b, c, d);
      if (cmd === 'track') emit('custom', { name: a, props: b });
      else if (cmd === 'pageview') emit(cmd, { props: a });
      else if (cmd === 'identify') {
        visitor((s) => (s.d = a));
        emit(cmd); // carries user_id, as every later event does
      } else if (cmd === 'optout') {
        visitor((s) => (s.o = 1));
        set([]);
      } else if (cmd === 'optin') visitor((s) => (s.o = 0));
      else {
        if (cmd === 'add_to_cart') visitor((s) => (s.c ||= rid()));
        emit(cmd as CollectEvent['type'], a?.id ? { ...a, items: [a as CommerceData] } : a);
        if (cmd === 'purchase') visitor((s) => delete s.c);
      }
    },
  ) as Fh;
  // A replayed call may call the stub again (a variant callback): for…of sees that one too.
  for (const args of queued as IArguments[]) fh.apply(0, args as never);

  // ── capture: page views ──────────────────────────────────────────────────────────────────
  // On load and on every later URL change, however it happened: pushState, replaceState,
  // popstate, or (with `hash`) a hash change. The URL is compared four times a second rather
  // than by wrapping history methods: smaller, it also sees routers that kept a reference to the
  // original pushState, and a redirect made within the same moment (`/` to `/login`) counts as
  // the one page the visitor saw. The no-code form of experiments is applied to new content
  // first: <button data-fh-variant="cta-color" data-fh-variants="green red"> gets
  // data-fh-shown="green" or "red" (weighted evenly), which the site's stylesheet styles.
  const hash = flag(o.hash);
  let last: string;
  const view = safe(() => {
    const u = hash ? location.href : (location.href.split('#')[0] as string);
    if (u === last) return;
    last = u;
    for (const el of document.querySelectorAll<HTMLElement>('[data-fh-variant]')) {
      el.dataset.fhShown = variant(
        el.dataset.fhVariant as string,
        (el.dataset.fhVariants as string).split(' '),
      );
    }
    emit('pageview');
  });
  view();
  setInterval(view, 250);
  return fh;
}
