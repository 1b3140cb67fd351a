/**
 * Funnels: the builder, the answer for the header's range (with the previous period when
 * compare is on), and saved funnels (save, load, delete). The definition being edited and the
 * breakdown live in the URL, so a funnel view can be shared before it is saved; `?funnel=ID`
 * alone opens that saved funnel as it was saved (definition and breakdown).
 */
import type { FunnelDefinition, FunnelResult, SavedFunnel, SiteSchemaResponse } from '@funnelhouse/schemas';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, ApiFailure, type RangeQuery } from '../../api.ts';
import { Loading, Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { Builder } from './builder.tsx';
import {
  breakdownParam,
  canonicalDefinition,
  encodeDefinition,
  parseBreakdown,
  parseDefinition,
} from './definition.ts';
import { InsightPanel } from './insight.tsx';
import { canFollowPaths, insightParams, parseInsight } from './insight-route.ts';
import { BreakdownTable, FunnelChart } from './result.tsx';

type Props = {
  api: Api;
  site: string;
  route: Route;
  range: RangeQuery;
  navigate: (r: Partial<Route>, replace?: boolean) => void;
};

/** The route that shows a saved funnel as saved. */
const routeOf = (f: SavedFunnel): Partial<Route> => ({
  funnel: f.id,
  def: encodeDefinition(f.definition),
  breakdown: breakdownParam(f.breakdown),
});

export function Funnels(props: Props) {
  const { api, site, route, range, navigate } = props;
  const [schema] = useLoad<SiteSchemaResponse>(
    () => api.schema(site, range),
    [api, site, range.from, range.to, range.tz],
  );
  const [saved, reloadSaved] = useLoad<SavedFunnel[]>(
    async () => (await api.funnels(site)).funnels,
    [api, site],
  );
  // The list as last loaded: a reload after a save or delete does not blank the name and title.
  const list = useRef<SavedFunnel[] | undefined>(undefined);
  if (saved.state === 'ok') list.current = saved.data;
  const current = list.current?.find((f) => f.id === route.funnel);
  // `?funnel=ID` without a definition: open the saved funnel (its definition and breakdown go into
  // the URL, replacing this entry) before asking anything.
  const opening = route.funnel !== undefined && route.def === undefined;
  const found = opening ? current : undefined;
  useEffect(() => {
    if (found) navigate(routeOf(found), true);
  }, [found]);
  const title = <h1 id="view-title">Funnels{current ? `: ${current.name}` : ''}</h1>;
  if (opening && (found || saved.state === 'loading')) {
    return (
      <main aria-labelledby="view-title">
        {title}
        <Loading what="the saved funnel" />
      </main>
    );
  }
  return (
    <main aria-labelledby="view-title">
      {title}
      {opening ? (
        <p class="banner warn" role="alert">
          {saved.state === 'error'
            ? `Could not load the saved funnels (${saved.error.message}): showing a new funnel instead.`
            : `No saved funnel of this site has the id "${route.funnel}" (it may have been deleted): showing a new funnel instead.`}
        </p>
      ) : null}
      <Editor
        {...props}
        schema={schema.state === 'ok' ? schema.data : undefined}
        saved={list.current ?? []}
        current={current}
        onListChanged={reloadSaved}
      />
    </main>
  );
}

/** The builder, the saved funnels and the answer for the definition in the URL. */
function Editor(
  props: Props & {
    schema: SiteSchemaResponse | undefined;
    saved: SavedFunnel[];
    current: SavedFunnel | undefined;
    onListChanged: () => void;
  },
) {
  const { api, site, route, range, navigate, current } = props;
  const def = parseDefinition(route.def);
  // Keyed on the definition's content, not its text: saving answers the same funnel with its keys
  // in the server's order, and that must not ask the question again.
  const defKey = canonicalDefinition(def);
  const [result, retry] = useLoad<FunnelResult>(() => {
    const dimension = parseBreakdown(route.breakdown);
    return api.funnelQuery(site, {
      definition: def,
      ...range,
      trend: 'day',
      ...(route.compare ? { compare: true } : {}),
      ...(dimension ? { breakdown: { dimension } } : {}),
    });
  }, [api, site, range.from, range.to, range.tz, defKey, route.breakdown, route.compare]);
  const edit = (d: FunnelDefinition) => navigate({ def: encodeDefinition(d) });
  const insight = parseInsight(route.insight, route.steps, def.steps.length);
  return (
    <div class="funnel-layout">
      <div>
        <Builder
          def={def}
          schema={props.schema}
          breakdown={route.breakdown ?? ''}
          stepEvents={result.state === 'ok' ? result.data.step_events : undefined}
          onChange={edit}
          onBreakdown={(b) => navigate({ breakdown: b || undefined })}
        />
        <SavedFunnels
          api={api}
          site={site}
          saved={props.saved}
          current={current?.id}
          def={def}
          breakdown={route.breakdown}
          defaultName={current?.name ?? ''}
          onSaved={(f) => {
            props.onListChanged();
            navigate(routeOf(f));
          }}
          onLoad={(f) => navigate(routeOf(f))}
          onDeleted={(id) => {
            props.onListChanged();
            if (id === route.funnel) navigate({ funnel: undefined });
          }}
        />
      </div>
      <div class="funnel-results">
        <Show loaded={result} what="the funnel" retry={retry}>
          {(r) => (
            <>
              <FunnelChart
                result={r}
                insights={{
                  open: insight,
                  paths: canFollowPaths(def),
                  onOpen: (i) => navigate(insightParams(i)),
                }}
              />
              {insight && (insight.kind === 'why' || canFollowPaths(def)) ? (
                <InsightPanel
                  api={api}
                  site={site}
                  range={range}
                  definition={def}
                  defKey={defKey}
                  result={r}
                  insight={insight}
                  onClose={() => navigate(insightParams(undefined))}
                />
              ) : null}
              <BreakdownTable result={r} />
            </>
          )}
        </Show>
      </div>
    </div>
  );
}

function SavedFunnels(props: {
  api: Api;
  site: string;
  saved: SavedFunnel[];
  current: string | undefined;
  def: FunnelDefinition;
  breakdown: string | undefined;
  defaultName: string;
  onSaved: (f: SavedFunnel) => void;
  onLoad: (f: SavedFunnel) => void;
  onDeleted: (id: string) => void;
}) {
  const [name, setName] = useState(props.defaultName);
  const [error, setError] = useState<Error>();
  const [note, setNote] = useState('');
  /** The funnel whose Delete was pressed: it asks before anything is deleted. */
  const [asking, setAsking] = useState<string>();
  /** After "No", focus goes back to that funnel's Delete button. */
  const refocus = useRef<string | undefined>(undefined);
  useEffect(() => setName(props.defaultName), [props.defaultName]);
  const fail = (e: Error) => setError(e);
  const named = () => {
    if (name.trim()) return name.trim();
    setError(new Error('Give the funnel a name first.'));
    return undefined;
  };
  const body = (n: string) => {
    const dimension = parseBreakdown(props.breakdown);
    return { name: n, definition: props.def, ...(dimension ? { breakdown: { dimension } } : {}) };
  };
  const nameTaken = error instanceof ApiFailure && error.code === 'duplicate_name';
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
          props.api.saveFunnel(props.site, body(n)).then((f) => {
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
          aria-invalid={nameTaken ? 'true' : undefined}
          aria-describedby={error ? 'f-save-error' : undefined}
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
              props.api.updateFunnel(props.site, props.current, body(n)).then((f) => {
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
        <p class="banner error" role="alert" id="f-save-error">
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
              {asking === f.id ? (
                <ConfirmDelete
                  name={f.name}
                  onYes={() => {
                    setAsking(undefined);
                    props.api.deleteFunnel(props.site, f.id).then(() => props.onDeleted(f.id), fail);
                  }}
                  onNo={() => {
                    refocus.current = f.id;
                    setAsking(undefined);
                  }}
                />
              ) : (
                <button
                  type="button"
                  class="ghost"
                  aria-label={`Delete ${f.name}`}
                  ref={(el) => {
                    if (el && refocus.current === f.id) {
                      refocus.current = undefined;
                      el.focus();
                    }
                  }}
                  onClick={() => setAsking(f.id)}
                >
                  Delete
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * "Delete …? Yes / No" in place of the Delete button (no `window.confirm`: it blocks the page and
 * cannot be styled or tested as the page is). Focus goes to "No", so Enter or a stray second
 * click keeps the funnel; Escape says no.
 */
function ConfirmDelete(props: { name: string; onYes: () => void; onNo: () => void }) {
  const no = useRef<HTMLButtonElement>(null);
  useEffect(() => no.current?.focus(), []);
  return (
    <fieldset
      class="funnel-confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onNo();
      }}
    >
      <legend class="small">Delete {props.name}?</legend>
      <button type="button" class="danger" onClick={props.onYes}>
        Yes, delete
      </button>
      <button type="button" class="ghost" ref={no} onClick={props.onNo}>
        No
      </button>
    </fieldset>
  );
}
