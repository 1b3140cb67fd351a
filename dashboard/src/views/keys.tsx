/** Key management (admin key): sites, their public site keys, new secret API keys, revocation. */
import type { SiteSummary } from '@funnelhouse/schemas';
import { useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import { forgetSiteKey, siteKeyFor } from '../session.ts';

export function Keys({ admin, sites }: { admin: Api; sites: SiteSummary[] }) {
  const [made, setMade] = useState<{ site: string; key: string }>();
  const [keyId, setKeyId] = useState<Record<string, string>>({});
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const fail = (e: Error) => setNote({ kind: 'error', text: e.message });
  return (
    <main aria-labelledby="view-title">
      <h1 id="view-title">Sites and keys</h1>
      <p class="muted">
        Secret API keys read a site's reports; they are shown once, when made. A key's id is the part between{' '}
        <code>fhk_</code> and the next <code>_</code>. To add a site, use <code>POST /api/v1/sites</code> (see
        the API reference).
      </p>
      {note ? (
        <p class={`banner ${note.kind}`} role={note.kind === 'error' ? 'alert' : 'status'}>
          {note.text}
        </p>
      ) : null}
      {made ? (
        <div class="banner ok" role="status">
          New API key for <strong>{made.site}</strong> (copy it now, it is not shown again):{' '}
          <code class="secret">{made.key}</code>
        </div>
      ) : null}
      <div class="table-scroll">
        <table class="wide">
          <thead>
            <tr>
              <th scope="col">Site</th>
              <th scope="col">Site key (public)</th>
              <th scope="col">API keys</th>
            </tr>
          </thead>
          <tbody>
            {sites.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.name} <span class="muted">({s.id})</span>
                </td>
                <td>
                  <code>{s.site_key}</code>
                </td>
                <td class="actions">
                  <button
                    type="button"
                    onClick={() =>
                      admin.createKey(s.id).then((r) => setMade({ site: s.name, key: r.api_key }), fail)
                    }
                  >
                    New API key
                  </button>
                  <form
                    class="inline"
                    onSubmit={(e) => {
                      e.preventDefault();
                      const id = (keyId[s.id] ?? '').trim();
                      if (!id) return;
                      admin.revokeKey(s.id, id).then(() => {
                        if (siteKeyFor(s.id)?.startsWith(`fhk_${id}_`)) forgetSiteKey(s.id);
                        setNote({ kind: 'ok', text: `Key ${id} of ${s.name} is revoked.` });
                      }, fail);
                    }}
                  >
                    <label>
                      <span class="visually-hidden">Key id to revoke for {s.name}</span>
                      <input
                        placeholder="key id"
                        value={keyId[s.id] ?? ''}
                        onInput={(e) => setKeyId({ ...keyId, [s.id]: (e.target as HTMLInputElement).value })}
                      />
                    </label>
                    <button type="submit" class="danger">
                      Revoke
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </main>
  );
}
