/** The dashboard's entry: sign-in, then the header and the view the URL names. */
import type { SiteSummary } from '@funnelhouse/schemas';
import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { apiClient } from './api.ts';
import { Empty, Show, useLoad } from './load.tsx';
import { resolveRange } from './range.ts';
import { useRoute, viewZone } from './route.ts';
import { loadSession, rememberSiteKey, type Session, signOut, siteKeyFor } from './session.ts';
// uPlot's own rules first, so that ours win; in the first load's one stylesheet.
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { lazyView } from './lazy.tsx';
import { Header } from './views/header.tsx';
import { Overview } from './views/overview.tsx';
import { SignIn } from './views/sign-in.tsx';

// Fetched when first opened: the first load is the shell, the sign-in and the overview.
const SiteViews = lazyView(() => import('./views/site-views.tsx').then((m) => m.SiteViews));
const Keys = lazyView(() => import('./views/keys.tsx').then((m) => m.Keys));

function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  if (!session) return <SignIn onSignedIn={setSession} />;
  return (
    <SignedIn
      session={session}
      onSignOut={() => {
        signOut();
        setSession(undefined);
      }}
    />
  );
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const admin = useMemo(() => apiClient(session.key), [session.key]);
  const [sites] = useLoad<SiteSummary[]>(
    async () => (session.role === 'admin' ? (await admin.sites()).sites : [session.site]),
    [session],
  );
  return (
    <Show loaded={sites} what="sites">
      {(list) => <Dashboard session={session} sites={list} onSignOut={onSignOut} />}
    </Show>
  );
}

function Dashboard({
  session,
  sites: loaded,
  onSignOut,
}: {
  session: Session;
  sites: SiteSummary[];
  onSignOut: () => void;
}) {
  const [route, navigate] = useRoute();
  // Sites made on the Keys page join the list without reloading it (which would hide their keys).
  const [added, setAdded] = useState<SiteSummary[]>([]);
  const sites = useMemo(() => [...loaded, ...added], [loaded, added]);
  const site = sites.find((s) => s.id === route.site) ?? sites[0];
  const range = resolveRange(route.range, viewZone(route, site?.time_zone), route);
  const isAdmin = session.role === 'admin';
  const [siteKey, setSiteKey] = useState(() => (site ? siteKeyFor(site.id) : undefined));
  const key = isAdmin ? (site ? (siteKeyFor(site.id) ?? siteKey) : undefined) : session.key;
  const api = useMemo(() => (key ? apiClient(key) : undefined), [key]);
  const header = (
    <Header
      route={route}
      navigate={navigate}
      sites={sites}
      site={site?.id}
      range={range}
      admin={isAdmin}
      onSignOut={onSignOut}
    />
  );
  let body: preact.ComponentChildren;
  if (route.view === 'keys' && isAdmin) {
    body = (
      <Keys admin={apiClient(session.key)} sites={sites} onSiteCreated={(s) => setAdded((a) => [...a, s])} />
    );
  } else if (!site) {
    body = (
      <main>
        <Empty title="No sites yet">
          <p>
            Create a site under <a href="?view=keys">Keys</a> ("New site", admin key), then put its snippet on
            your pages.
          </p>
        </Empty>
      </main>
    );
  } else if (!api) {
    body = (
      <AdminSiteKey
        site={site}
        onKey={(k) => {
          rememberSiteKey(site.id, k);
          setSiteKey(k);
        }}
        create={() => apiClient(session.key).createKey(site.id)}
      />
    );
  } else if (route.view === 'overview') {
    body = (
      <Overview
        api={api}
        site={site.id}
        range={range}
        compare={route.compare}
        segment={route.segment}
        onSegment={(segment) => navigate({ segment })}
        onInstall={() => navigate({ view: 'install' })}
      />
    );
  } else {
    body = (
      <SiteViews api={api} apiKey={key ?? ''} site={site} route={route} range={range} navigate={navigate} />
    );
  }
  return (
    <div class="app">
      {header}
      {body}
    </div>
  );
}

/** The admin key reads no reports: make (once, on request) an API key for the site, kept here. */
function AdminSiteKey(props: {
  site: SiteSummary;
  create: () => Promise<{ api_key: string }>;
  onKey: (k: string) => void;
}) {
  const [error, setError] = useState<string>();
  return (
    <main>
      <Empty title={`Reports of ${props.site.name}`}>
        <p>
          The admin key manages sites and keys but reads no reports. To see this site's reports here, make an
          API key for it; this browser keeps it until you sign out, and you can revoke it under Keys.
        </p>
        <button
          type="button"
          onClick={() =>
            props.create().then(
              (r) => props.onKey(r.api_key),
              (e: Error) => setError(e.message),
            )
          }
        >
          Make an API key for this browser
        </button>
        {error ? (
          <p class="banner error" role="alert">
            {error}
          </p>
        ) : null}
      </Empty>
    </main>
  );
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
