/**
 * Install: the snippet tag with the site key and its SRI hash, the cart, purchase and experiment
 * calls (the README's forms), each with a copy button, and a live check of the events stored in
 * the last 15 minutes (polled every few seconds).
 */
import type { EventsResponse, SiteSummary } from '@funnelhouse/schemas';
import { useEffect, useState } from 'preact/hooks';
import { type Api, request } from '../api.ts';
import { DROP_WORDS, type DropCounts, dropsSince, fetchDrops } from '../drops.ts';
import { fmtInt } from '../format.ts';
import { CopyButton } from './copy.tsx';
import { STUB, TRACKING_CALLS } from './install-calls.ts';

/** sha384 of the served snippet, as an `integrity` value (needs a secure context for WebCrypto). */
async function snippetIntegrity(): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const body = await (await fetch('/f.js')).arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', body));
  return `sha384-${btoa(String.fromCharCode(...digest))}`;
}

export function Install({ api, site, apiKey }: { api: Api; site: SiteSummary; apiKey: string }) {
  const [integrity, setIntegrity] = useState<string>();
  useEffect(() => {
    snippetIntegrity().then(setIntegrity, () => setIntegrity(undefined));
  }, []);
  const tag = `<script defer src="${location.origin}/f.js" data-site="${site.site_key}"${
    integrity ? `\n        integrity="${integrity}" crossorigin="anonymous"` : ''
  }></script>`;
  return (
    <main aria-labelledby="view-title">
      <h1 id="view-title">Install on {site.name}</h1>
      <section class="card">
        <h2>1. Add the snippet to every page</h2>
        <p>
          Put this tag in the <code>&lt;head&gt;</code> of your pages. It sends pageviews, clicks, forms and
          orders to this server, with the public site key <code>{site.site_key}</code>.
        </p>
        <pre class="snippet" data-snippet="">
          {tag}
        </pre>
        <CopyButton text={tag} label="Copy the snippet tag" />
        {integrity ? null : (
          <p class="muted">
            The integrity hash is computed in the browser over HTTPS or on localhost; the server also prints
            it at start.
          </p>
        )}
        {site.allowed_hosts.length > 0 ? (
          <p>
            Events are accepted only from pages on: <code>{site.allowed_hosts.join(', ')}</code>.
          </p>
        ) : null}
      </section>
      <TrackingCalls site={site} />
      <LiveCheck api={api} site={site} apiKey={apiKey} />
    </main>
  );
}

/** The calls for carts, orders and experiments, sent through the tag above (its site key). */
function TrackingCalls({ site }: { site: SiteSummary }) {
  return (
    <section class="card" aria-labelledby="calls-title">
      <h2 id="calls-title">2. Send carts, orders and experiments</h2>
      <p>
        Call <code>fh(…)</code> from your pages' own scripts; the snippet sends each event with the site key{' '}
        <code>{site.site_key}</code>. Calls made before <code>f.js</code> has loaded wait in this stub, put
        above the tag (on pages with a strict CSP, at the top of your own script file):
      </p>
      <pre class="snippet" data-call="stub">
        {STUB}
      </pre>
      <CopyButton text={STUB} label="Copy the stub" />
      {TRACKING_CALLS.map((c) => (
        <div key={c.id} class="tracking-call">
          <h3>{c.title}</h3>
          <p>{c.when}</p>
          <pre class="snippet" data-call={c.id}>
            {c.code}
          </pre>
          <CopyButton text={c.code} label={`Copy the ${c.title.toLowerCase()} call`} />
        </div>
      ))}
    </section>
  );
}

function LiveCheck({ site, apiKey }: { api: Api; site: SiteSummary; apiKey: string }) {
  const [events, setEvents] = useState<EventsResponse['events']>();
  const [error, setError] = useState<string>();
  const [drops, setDrops] = useState<DropCounts>({});
  useEffect(() => {
    let live = true;
    let baseline: DropCounts | undefined;
    const poll = async () => {
      try {
        const counts = await fetchDrops();
        baseline ??= counts;
        if (live) setDrops(dropsSince(baseline, counts));
        // The last 15 minutes, oldest first (the route's order), newest shown first.
        const q = new URLSearchParams({
          from: new Date(Date.now() - 15 * 60_000).toISOString(),
          to: new Date(Date.now() + 60_000).toISOString(),
          limit: '1000',
        });
        const r = await request<EventsResponse>(
          apiKey,
          'GET',
          `/api/v1/sites/${encodeURIComponent(site.id)}/events?${q}`,
        );
        if (live) {
          setEvents(r.events.slice(-10).reverse());
          setError(undefined);
        }
      } catch (e) {
        if (live) setError((e as Error).message);
      }
    };
    poll();
    const timer = setInterval(poll, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [site.id, apiKey]);
  return (
    <section class="card" aria-labelledby="live-title">
      <h2 id="live-title">3. Check that events arrive</h2>
      <p class="muted">Open one of your pages; its events show here within seconds (checked every 5 s).</p>
      {Object.keys(drops).length > 0 ? (
        <div class="banner warn" role="alert" data-drops="">
          <strong>Events are being dropped.</strong> Since this page opened, this server (all sites together)
          has dropped:
          <ul>
            {Object.entries(drops).map(([reason, n]) => (
              <li key={reason} data-reason={reason}>
                {fmtInt(n)} {n === 1 ? 'event' : 'events'} {DROP_WORDS[reason] ?? `dropped (${reason})`}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {error ? (
        <p class="banner error" role="alert">
          {error}
        </p>
      ) : events === undefined ? (
        <p role="status">Checking…</p>
      ) : events.length === 0 ? (
        <p class="banner warn" role="status">
          No events in the last 15 minutes. If you opened a page with the snippet, check the browser console;
          events from bots, from hosts not allowed above, or with Do Not Track (when the site respects it) are
          dropped.
        </p>
      ) : (
        <div class="table-scroll">
          <table data-live="events">
            <caption class="visually-hidden">Latest events</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Type</th>
                <th scope="col">Page</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={`${e.event_id}`}>
                  <td>{new Date(e.ts).toLocaleTimeString('en-GB')}</td>
                  <td>{e.type}</td>
                  <td class="clip">{e.url}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
