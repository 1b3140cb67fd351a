/** Paths of the OpenAPI document for the paths analysis (`POST …/paths`). */
import { PATH_END_LABELS, PATHS_LIMITS } from '@funnelhouse/schemas';
import { error, explainParam, type Json, ok, ref, siteOp, siteParam } from './parts.ts';

/** The rules, as the README's "Paths" states them. */
export const PATHS_METHOD = `The unit is the visitor. Events are read in the range (\`from\`/\`to\`/\`range\`/\`tz\`, as every
report; at most ${PATHS_LIMITS.maxRangeDays} days), only those matching every \`filters\` condition (for a funnel
start they narrow the path events, not the funnel), ordered by (time, event id).

**Start and anchor.** \`page\`: pageviews whose cleaned path equals the given path cleaned. \`event\`: events of
the \`type\` (and \`name\`, when given). The anchor is the unit's first start event in the range.
\`funnel\`: the units whose counted attempt (the funnel engine's, as \`POST …/funnels/query\` counts it) reached
\`step\`; \`who: "converted"\` keeps those that went on to a later step, \`"dropped"\` those whose furthest step is
\`step\`, \`"reached"\` all of them. The anchor is the time the unit reached \`step\`; events are read over the span
the funnel engine scans (the range, then the window past its end, up to now), and events in the anchor's
own millisecond are neither after nor before it.

**Nodes.** \`node: "path"\`: pageviews, labelled by their cleaned path. \`node: "event"\`: every event, labelled by
its type, or \`custom:<name>\` for a custom event. Path cleaning: the path is split at \`/\` and each segment that
is all digits, a UUID, or 16 or more hex digits becomes \`*\` (\`/product/123\` → \`/product/*\`).

**Each unit's path.** Its next \`depth\` nodes after the anchor (\`direction: "after"\`), or its previous ones,
nearest first (\`"before"\`). Consecutive repeats collapse (A A B → A B); the anchor counts as the first
label when it is itself a node (a page start with \`node: "path"\`, any event start with \`node: "event"\`),
so reloading the start page is not a step. Only the first (last) ${PATHS_LIMITS.eventsPerUnit} node events
after (before) the anchor are read.

**The tree.** Level 0 is the start, with every unit that has it. Under each node, its units' next labels
are ranked by units (ties by label); the top \`width\` are nodes, the rest merge into one "Other" node whose
units go on together. A unit with no further node is counted at the next level in
"${PATH_END_LABELS.after}" (\`before\`: "${PATH_END_LABELS.before}") and stops. Children are listed ranked
labels first, then Other, then the end node; node ids follow levels. \`links\` join each node to its parent
with the child's units.

Past ${PATHS_LIMITS.maxPrefixes} distinct label prefixes (before the \`width\` cut) the answer is
\`422 too_many_paths\`.`;

const example = {
  start: { page: '/cart' },
  direction: 'after',
  depth: 3,
  width: 5,
  node: 'path',
  range: '30d',
};

export function pathAnalysisPaths(): Json {
  return {
    '/api/v1/sites/{siteId}/paths': {
      post: siteOp(
        'Where units went after a page, an event or a funnel step, or what they did before it',
        {
          description: PATHS_METHOD,
          parameters: [siteParam, explainParam],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('PathsQuery'), example } },
          },
        },
        {
          '200': ok('The tree: nodes per level and the links between them', ref('PathsResult')),
          '422': error(
            'The query went over its time or memory limit (`query_too_expensive`), or the paths have too many distinct prefixes (`too_many_paths`)',
          ),
        },
      ),
    },
  };
}
