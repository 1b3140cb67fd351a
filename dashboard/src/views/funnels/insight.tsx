/**
 * The panel under a funnel answer that looks behind one drop: "why" asks the correlation route
 * for the step pair, "where" asks the paths route for the visitors who stopped at the first step
 * of the pair. Opened from the funnel's steps; its state is the URL's (`insight-route.ts`).
 */
import type {
  CorrelationProperty,
  CorrelationResult,
  FunnelDefinition,
  FunnelResult,
  PathsResult,
} from '@funnelhouse/schemas';
import { useEffect, useRef } from 'preact/hooks';
import type { Api, RangeQuery } from '../../api.ts';
import { Show, useLoad } from '../../load.tsx';
import { CorrelationTables } from './correlation.tsx';
import type { Insight } from './insight-route.ts';
import { PathsDiagram } from './paths.tsx';

/** The sources every "why" looks at besides the events: where the units came from and on what. */
export const CORRELATION_PROPERTIES: CorrelationProperty[] = [
  'channel',
  'utm_source',
  'utm_campaign',
  'device',
  'browser',
  'country',
  'landing_path',
];

/** Paths drawn: three pages after the step, the top five at each branch. */
const PATHS = { depth: 3, width: 5 } as const;

interface Props {
  api: Api;
  site: string;
  range: RangeQuery;
  definition: FunnelDefinition;
  /** The content key of the definition: a new funnel asks again. */
  defKey: string;
  result: FunnelResult;
  insight: Insight;
  onClose: () => void;
}

export function InsightPanel(props: Props) {
  const { insight, result } = props;
  const label = (n: number) => result.overall.steps[n - 1]?.label ?? `step ${n}`;
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from a step's button: the reader lands on what it opened.
  useEffect(() => heading.current?.focus(), [insight.kind, insight.from, insight.to]);
  const title =
    insight.kind === 'why'
      ? `Why did they drop? Step ${insight.from} → ${insight.to}`
      : `Where did they go? After step ${insight.from}`;
  return (
    <section class="card insight" aria-labelledby="insight-title" data-insight={insight.kind}>
      <div class="card-head">
        <h2 id="insight-title" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" class="ghost" onClick={props.onClose}>
          Close
        </button>
      </div>
      <p class="muted small">
        {insight.kind === 'why'
          ? `Those who reached “${label(insight.from)}”: what they did afterwards, and where they came from, that goes with reaching “${label(insight.to)}” or not.`
          : `Those who reached “${label(insight.from)}” and did not reach “${label(insight.to)}”: the pages they saw next.`}
      </p>
      {insight.kind === 'why' ? <Why {...props} /> : <Where {...props} />}
    </section>
  );
}

function Why({ api, site, range, definition, defKey, insight }: Props) {
  const [loaded, retry] = useLoad<CorrelationResult>(
    () =>
      api.correlation(site, {
        definition,
        ...range,
        steps: { from: insight.from - 1, to: insight.to - 1 },
        properties: CORRELATION_PROPERTIES,
      }),
    [api, site, range.from, range.to, range.tz, defKey, insight.from, insight.to],
  );
  return (
    <Show loaded={loaded} what="the signals" retry={retry}>
      {(r) => <CorrelationTables result={r} />}
    </Show>
  );
}

function Where({ api, site, range, definition, defKey, insight }: Props) {
  const [loaded, retry] = useLoad<PathsResult>(
    () =>
      api.paths(site, {
        start: { funnel: { definition, step: insight.from, who: 'dropped' } },
        direction: 'after',
        node: 'path',
        ...PATHS,
        ...range,
      }),
    [api, site, range.from, range.to, range.tz, defKey, insight.from],
  );
  return (
    <Show loaded={loaded} what="the paths" retry={retry}>
      {(r) => <PathsDiagram result={r} />}
    </Show>
  );
}
