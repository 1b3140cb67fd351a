/** The header: site switcher, range presets (custom dates), time zone, compare, navigation. */
import type { SiteSummary } from '@funnelhouse/schemas';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { RangeQuery } from '../api.ts';
import { PRESET_LABELS, PRESETS, type Preset } from '../range.ts';
import type { Route, View } from '../route.ts';
import { allZones, matchZone, type ZoneMatch } from '../zones.ts';

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
          <TimeZoneField tz={range.tz} onZone={(tz) => navigate({ tz })} />
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

/**
 * The zone field: a zone in any case is applied; a city ("Berlin") is answered with the zones it
 * may mean, each a button; anything else is said to be no zone. Until then the view keeps its zone.
 */
function TimeZoneField({ tz, onZone }: { tz: string; onZone: (tz: string) => void }) {
  const [typed, setTyped] = useState<string>();
  // Read when the field is left or Enter pressed, not at every key.
  const [match, setMatch] = useState<{ text: string } & ZoneMatch>();
  const zones = useMemo(allZones, []);
  useEffect(() => {
    setTyped(undefined);
    setMatch(undefined);
  }, [tz]);
  const apply = (zone: string) => {
    setTyped(undefined);
    setMatch(undefined);
    onZone(zone);
  };
  return (
    <>
      <div class="field">
        <label for="f-tz">Time zone</label>
        <input
          id="f-tz"
          class="tz"
          value={typed ?? tz}
          list="zones"
          aria-describedby={match?.text ? 'tz-note' : undefined}
          onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
          onChange={(e) => {
            const text = (e.target as HTMLInputElement).value;
            const m = matchZone(text, zones);
            if (m.kind === 'zone') apply(m.zone);
            // An emptied field goes back to the view's zone.
            else if (!text.trim()) apply(tz);
            else setMatch({ text: text.trim(), ...m });
          }}
        />
        <datalist id="zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      {match?.kind === 'suggest' ? (
        <p class="tz-note small" id="tz-note" data-note="tz" role="status">
          Did you mean {match.zones.join(' or ')}?
          {match.zones.map((z) => (
            <button key={z} type="button" class="ghost tz-use" onClick={() => apply(z)}>
              Use {z}
            </button>
          ))}
        </p>
      ) : match?.kind === 'none' ? (
        <p class="tz-note small" id="tz-note" data-note="tz" role="status">
          “{match.text}” is not a time zone: type a city (Berlin) or a zone (Europe/Berlin). The view stays in{' '}
          {tz}.
        </p>
      ) : null}
    </>
  );
}
