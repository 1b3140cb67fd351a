/** The header: site switcher, range presets (custom dates), time zone, compare, navigation. */
import type { SiteSummary } from '@funnelhouse/schemas';
import type { RangeQuery } from '../api.ts';
import { PRESET_LABELS, PRESETS, type Preset } from '../range.ts';
import type { Route, View } from '../route.ts';

const NAV: { view: View; label: string; adminOnly?: boolean }[] = [
  { view: 'overview', label: 'Overview' },
  { view: 'funnels', label: 'Funnels' },
  { view: 'experiments', label: 'Experiments' },
  { view: 'carts', label: 'Carts & revenue' },
  { view: 'install', label: 'Install' },
  { view: 'settings', label: 'Settings' },
  { view: 'keys', label: 'Keys', adminOnly: true },
];

export function Header(props: {
  route: Route;
  navigate: (r: Partial<Route>) => void;
  sites: SiteSummary[];
  site: string | undefined;
  range: RangeQuery;
  admin: boolean;
  onSignOut: () => void;
}) {
  const { route, navigate, sites, site, range, admin } = props;
  const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
  return (
    <header class="top">
      <div class="bar">
        <a class="brand" href="/">
          Funnelhouse
        </a>
        <div class="field">
          <label for="f-site">Site</label>
          <select
            id="f-site"
            value={site}
            onChange={(e) => navigate({ site: value(e), funnel: undefined, exp: undefined })}
          >
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id})
              </option>
            ))}
          </select>
        </div>
        <span class="spacer" />
        <a href="/api/docs" class="link">
          API reference
        </a>
        <button type="button" class="ghost" onClick={props.onSignOut}>
          Sign out
        </button>
      </div>
      <nav aria-label="Views">
        <ul>
          {NAV.filter((n) => admin || !n.adminOnly).map((n) => (
            <li key={n.view}>
              <a
                href={`?${new URLSearchParams({ ...(site ? { site } : {}), view: n.view })}`}
                aria-current={route.view === n.view ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  navigate({ view: n.view });
                }}
              >
                {n.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {route.view === 'overview' ||
      route.view === 'funnels' ||
      route.view === 'experiments' ||
      route.view === 'carts' ? (
        <fieldset class="bar range">
          <legend class="visually-hidden">Date range</legend>
          <div class="field">
            <label for="f-range">Range</label>
            <select
              id="f-range"
              value={route.range}
              onChange={(e) => {
                const preset = value(e) as Preset;
                navigate(
                  preset === 'custom' ? { range: preset, from: range.from, to: range.to } : { range: preset },
                );
              }}
            >
              {PRESETS.map((p) => (
                <option key={p} value={p}>
                  {PRESET_LABELS[p]}
                </option>
              ))}
            </select>
          </div>
          {route.range === 'custom' ? (
            <>
              <div class="field">
                <label for="f-from">From</label>
                <input
                  id="f-from"
                  type="date"
                  value={range.from}
                  onChange={(e) => navigate({ from: value(e) })}
                />
              </div>
              <div class="field">
                <label for="f-to">To</label>
                <input id="f-to" type="date" value={range.to} onChange={(e) => navigate({ to: value(e) })} />
              </div>
            </>
          ) : (
            <span class="muted dates">
              {range.from} – {range.to}
            </span>
          )}
          <div class="field">
            <label for="f-tz">Time zone</label>
            <input
              id="f-tz"
              class="tz"
              value={range.tz}
              list="zones"
              onChange={(e) => value(e) && navigate({ tz: value(e) })}
            />
            <datalist id="zones">
              {zones().map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </div>
          <label class="check">
            <input
              type="checkbox"
              checked={route.compare}
              onChange={(e) => navigate({ compare: (e.target as HTMLInputElement).checked })}
            />
            Compare with previous period
          </label>
        </fieldset>
      ) : null}
    </header>
  );
}

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}
