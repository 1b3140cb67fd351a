/** Sign-in with a site's secret API key or the instance admin key. */
import { useState } from 'preact/hooks';
import { ApiFailure, apiClient } from '../api.ts';
import { type Session, saveSession } from '../session.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) return setError('Paste an API key or the admin key.');
    setBusy(true);
    setError(undefined);
    try {
      const info = await apiClient(k).keyInfo();
      const s: Session =
        info.role === 'admin' ? { key: k, role: 'admin' } : { key: k, role: 'site', site: info.site };
      saveSession(s);
      onSignedIn(s);
    } catch (err) {
      setError(
        err instanceof ApiFailure && err.status === 401
          ? 'This key is not valid (or was revoked). Use a secret API key (fhk_…) or the admin key — not the public site key.'
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <h1>Funnelhouse</h1>
      <form onSubmit={submit} aria-describedby="signin-help">
        <label for="key">API key or admin key</label>
        <input
          id="key"
          name="key"
          type="password"
          autocomplete="current-password"
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          aria-invalid={error ? 'true' : 'false'}
          aria-describedby={error ? 'signin-error' : undefined}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error ? (
          <p id="signin-error" class="banner error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      <p id="signin-help" class="muted">
        A site's secret API key shows that site's reports; the admin key shows every site and manages keys.
        The key stays in this browser until you sign out. For the demo, <code>npm start</code> prints both
        keys.
      </p>
    </main>
  );
}
