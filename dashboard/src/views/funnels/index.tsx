/**
 * Funnels: the builder, the answer for the header's range (with the previous period when
 * compare is on), and saved funnels (save, load, delete). The definition being edited and the
 * breakdown live in the URL, so a funnel view can be shared before it is saved.
 */
import type { FunnelDefinition, FunnelResult, SavedFunnel, SiteSchemaResponse } from '@funnelhouse/schemas';
import { useEffect, useState } from 'preact/hooks';
import type { Api, RangeQuery } from '../../api.ts';
import { Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { Builder } from './builder.tsx';
import { encodeDefinition, parseBreakdown, parseDefinition } from './definition.ts';
import { BreakdownTable, FunnelChart } from './result.tsx';

export function Funnels(props: {
  api: Api;
  site: string;
  route: Route;
  range: RangeQuery;
  navigate: (r: Partial<Route>) => void;
}) {
  const { api, site, route, range, navigate } = props;
  const def = parseDefinition(route.def);
  const defJson = encodeDefinition(def);
  const [schema] = useLoad<SiteSchemaResponse>(
    () => api.schema(site, range),
    [api, site, range.from, range.to, range.tz],
  );
  const [saved, reloadSaved] = useLoad<SavedFunnel[]>(
    async () => (await api.funnels(site)).funnels,
    [api, site],
  );
  const [result, retry] = useLoad<FunnelResult>(() => {
    const dimension = parseBreakdown(route.breakdown);
    return api.funnelQuery(site, {
      definition: def,
      ...range,
      trend: 'day',
      ...(route.compare ? { compare: true } : {}),
      ...(dimension ? { breakdown: { dimension } } : {}),
    });
  }, [api, site, range.from, range.to, range.tz, defJson, route.breakdown, route.compare]);
  const edit = (d: FunnelDefinition) => navigate({ def: encodeDefinition(d) });
  const current = saved.state === 'ok' ? saved.data.find((f) => f.id === route.funnel) : undefined;
  return (
    <main aria-labelledby="view-title">
      <h1 id="view-title">Funnels{current ? `: ${current.name}` : ''}</h1>
      <div class="funnel-layout">
        <div>
          <Builder
            def={def}
            schema={schema.state === 'ok' ? schema.data : undefined}
            breakdown={route.breakdown ?? ''}
            onChange={edit}
            onBreakdown={(b) => navigate({ breakdown: b || undefined })}
          />
          <SavedFunnels
            api={api}
            site={site}
            saved={saved.state === 'ok' ? saved.data : []}
            current={route.funnel}
            def={def}
            defaultName={current?.name ?? ''}
            onSaved={(f) => {
              reloadSaved();
              navigate({ funnel: f.id, def: encodeDefinition(f.definition) });
            }}
            onLoad={(f) => navigate({ funnel: f.id, def: encodeDefinition(f.definition) })}
            onDeleted={(id) => {
              reloadSaved();
              if (id === route.funnel) navigate({ funnel: undefined });
            }}
          />
        </div>
        <div class="funnel-results">
          <Show loaded={result} what="the funnel" retry={retry}>
            {(r) => (
              <>
                <FunnelChart result={r} />
                <BreakdownTable result={r} />
              </>
            )}
          </Show>
        </div>
      </div>
    </main>
  );
}

function SavedFunnels(props: {
  api: Api;
  site: string;
  saved: SavedFunnel[];
  current: string | undefined;
  def: FunnelDefinition;
  defaultName: string;
  onSaved: (f: SavedFunnel) => void;
  onLoad: (f: SavedFunnel) => void;
  onDeleted: (id: string) => void;
}) {
  const [name, setName] = useState(props.defaultName);
  const [error, setError] = useState<Error>();
  const [note, setNote] = useState('');
  useEffect(() => setName(props.defaultName), [props.defaultName]);
  const fail = (e: Error) => setError(e);
  const named = () => {
    if (name.trim()) return name.trim();
    setError(new Error('Give the funnel a name first.'));
    return undefined;
  };
  return (
    <section class="card" aria-labelledby="saved-title">
      <h2 id="saved-title">Saved funnels</h2>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          const n = named();
          if (!n) return;
          setError(undefined);
          props.api.saveFunnel(props.site, n, props.def).then((f) => {
            setNote(`Saved as "${f.name}".`);
            props.onSaved(f);
          }, fail);
        }}
      >
        <label for="f-name" class="visually-hidden">
          Funnel name
        </label>
        <input
          id="f-name"
          placeholder="Funnel name"
          value={name}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <button type="submit">{props.current ? 'Save as new' : 'Save'}</button>
        {props.current ? (
          <button
            type="button"
            class="ghost"
            onClick={() => {
              const n = named();
              if (!n || !props.current) return;
              setError(undefined);
              props.api.updateFunnel(props.site, props.current, n, props.def).then((f) => {
                setNote(`Changes to "${f.name}" saved.`);
                props.onSaved(f);
              }, fail);
            }}
          >
            Save changes
          </button>
        ) : null}
      </form>
      <p role="status" class="muted small">
        {note}
      </p>
      {error ? (
        <p class="banner error" role="alert">
          {error.message}
        </p>
      ) : null}
      {props.saved.length === 0 ? (
        <p class="muted">No saved funnels yet: build one above and save it.</p>
      ) : (
        <ul class="saved">
          {props.saved.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                class="ghost"
                aria-current={f.id === props.current ? 'true' : undefined}
                onClick={() => props.onLoad(f)}
              >
                {f.name}
              </button>
              <span class="muted small">{f.definition.steps.length} steps</span>
              <button
                type="button"
                class="ghost"
                aria-label={`Delete ${f.name}`}
                onClick={() =>
                  props.api.deleteFunnel(props.site, f.id).then(() => props.onDeleted(f.id), fail)
                }
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
