/**
 * Key management (admin key): a new site (its keys shown once), each site's public site key and
 * secret API keys (id, kind, created, last used), new API keys, and revocation with a confirm step.
 */
import type { ApiKeyListResponse, CreateSiteResponse, SiteSummary } from '@funnelhouse/schemas';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, ApiFailure } from '../api.ts';
import { Show, useLoad } from '../load.tsx';
import { forgetSiteKey, rememberSiteKey, siteKeyFor } from '../session.ts';
import { CopyButton } from './copy.tsx';

type Note = { kind: 'ok' | 'error'; text: string };

export function Keys({
  admin,
  sites,
  onSiteCreated,
}: {
  admin: Api;
  sites: SiteSummary[];
  onSiteCreated: (site: SiteSummary) => void;
}) {
  return (
    <main aria-labelledby="view-title">
      <h1 id="view-title">Sites and keys</h1>
      <p class="muted">
        Secret API keys read a site's reports; they are shown once, when made. The public site key goes in the
        snippet on your pages.
      </p>
      <NewSite admin={admin} onCreated={onSiteCreated} />
      {sites.map((s) => (
        <SiteKeys key={s.id} admin={admin} site={s} />
      ))}
    </main>
  );
}

const fieldName = (path: string) => (path === 'time_zone' ? 'Time zone' : path === 'name' ? 'Name' : path);

/** The browser's own zone, the likeliest one for a new site's reports. */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const zones = (): string[] => (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : []);

function NewSite({ admin, onCreated }: { admin: Api; onCreated: (site: SiteSummary) => void }) {
  const [name, setName] = useState('');
  const [zone, setZone] = useState(browserZone);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [made, setMade] = useState<CreateSiteResponse>();
  return (
    <section class="card" aria-labelledby="new-site-title">
      <h2 id="new-site-title">New site</h2>
      <form
        class="new-site"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          setBusy(true);
          admin.createSite(name.trim(), zone.trim() || 'UTC').then(
            (site) => {
              const { api_key: apiKey, ...summary } = site;
              // This browser keeps the key, as for "Make an API key for this browser".
              rememberSiteKey(site.id, apiKey);
              setMade(site);
              setError(undefined);
              setName('');
              setBusy(false);
              onCreated(summary);
            },
            (err: Error) => {
              // Name the field: "time_zone: …" says more than "Body does not match the schema".
              const issues = err instanceof ApiFailure ? err.issues : [];
              setError(
                issues.length
                  ? issues.map((i) => `${fieldName(i.path)}: ${i.message}`).join('; ')
                  : err.message,
              );
              setBusy(false);
            },
          );
        }}
      >
        <label>
          Name
          <input required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Time zone of its reports
          <input list="time-zones" required value={zone} onInput={(e) => setZone(e.currentTarget.value)} />
        </label>
        <datalist id="time-zones">
          {zones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <button type="submit" disabled={busy}>
          Create site
        </button>
      </form>
      {error ? (
        <p class="banner error" role="alert">
          {error}
        </p>
      ) : null}
      {made ? (
        <div class="banner ok" role="status" data-new-site={made.id}>
          <p>
            <strong>{made.name}</strong> is created (id <code>{made.id}</code>, reports in {made.time_zone}).
            Copy its API key now: it is not shown again. This browser keeps it to show the site's reports.
          </p>
          <dl class="new-keys">
            <dt>Site key (public, for the snippet)</dt>
            <dd>
              <code class="secret">{made.site_key}</code>{' '}
              <CopyButton text={made.site_key} label={`Copy the site key of ${made.name}`} />
            </dd>
            <dt>API key (secret, reads reports)</dt>
            <dd>
              <code class="secret">{made.api_key}</code>{' '}
              <CopyButton text={made.api_key} label={`Copy the API key of ${made.name}`} />
            </dd>
          </dl>
        </div>
      ) : null}
    </section>
  );
}

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

function SiteKeys({ admin, site }: { admin: Api; site: SiteSummary }) {
  const [keys, reload] = useLoad<ApiKeyListResponse>(() => admin.keys(site.id), [site.id]);
  const [made, setMade] = useState<string>();
  const [note, setNote] = useState<Note>();
  const [confirming, setConfirming] = useState<string>();
  const fail = (e: Error) => setNote({ kind: 'error', text: e.message });
  const mine = siteKeyFor(site.id);
  const titleId = `site-${site.id}`;
  return (
    <section class="card" aria-labelledby={titleId} data-site-keys={site.id}>
      <h2 id={titleId}>
        {site.name} <span class="muted">({site.id})</span>
      </h2>
      <p>
        Site key (public): <code class="secret">{site.site_key}</code>
      </p>
      {note ? (
        <p class={`banner ${note.kind}`} role={note.kind === 'error' ? 'alert' : 'status'}>
          {note.text}
        </p>
      ) : null}
      {made ? (
        <div class="banner ok" role="status">
          New API key (copy it now, it is not shown again): <code class="secret">{made}</code>{' '}
          <CopyButton text={made} label={`Copy the new API key of ${site.name}`} />
        </div>
      ) : null}
      <Show loaded={keys} what="keys" retry={reload}>
        {(list) => (
          <div class="table-scroll">
            <table class="wide keys">
              <caption class="visually-hidden">API keys of {site.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Key id</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.keys.length === 0 ? (
                  <tr>
                    <td colSpan={5} class="muted">
                      No API keys: make one below to read this site's reports.
                    </td>
                  </tr>
                ) : null}
                {list.keys.map((k) => (
                  <tr key={k.id} data-key-id={k.id}>
                    <td>
                      <code>{k.id}</code>
                      {mine?.startsWith(`fhk_${k.id}_`) ? <span class="muted"> (this browser)</span> : null}
                    </td>
                    <td data-label="Kind">{k.kind === 'api' ? 'API (secret)' : k.kind}</td>
                    <td data-label="Created">
                      <time dateTime={k.created_at}>{when(k.created_at)}</time>
                    </td>
                    <td data-label="Last used">
                      {k.last_used_at ? (
                        <time dateTime={k.last_used_at}>{when(k.last_used_at)}</time>
                      ) : (
                        'never'
                      )}
                    </td>
                    <td class="actions">
                      {confirming === k.id ? (
                        <ConfirmRevoke
                          keyId={k.id}
                          onCancel={() => setConfirming(undefined)}
                          onConfirm={() =>
                            admin.revokeKey(site.id, k.id).then(() => {
                              if (mine?.startsWith(`fhk_${k.id}_`)) forgetSiteKey(site.id);
                              setConfirming(undefined);
                              setNote({ kind: 'ok', text: `Key ${k.id} of ${site.name} is revoked.` });
                              reload();
                            }, fail)
                          }
                        />
                      ) : (
                        <button
                          type="button"
                          class="danger"
                          aria-label={`Revoke key ${k.id}`}
                          onClick={() => setConfirming(k.id)}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Show>
      <button
        type="button"
        onClick={() =>
          admin.createKey(site.id).then((r) => {
            setMade(r.api_key);
            reload();
          }, fail)
        }
      >
        New API key
      </button>
    </section>
  );
}

/** The second step of a revocation: focus goes to it, so Enter confirms and Escape cancels. */
function ConfirmRevoke(props: { keyId: string; onConfirm: () => void; onCancel: () => void }) {
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => yes.current?.focus(), []);
  return (
    <fieldset class="confirm" onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}>
      <legend>Revoke key {props.keyId}? Requests with it fail at once.</legend>
      <button type="button" class="danger" ref={yes} onClick={props.onConfirm}>
        Yes, revoke
      </button>
      <button type="button" class="ghost" onClick={props.onCancel}>
        Cancel
      </button>
    </fieldset>
  );
}
