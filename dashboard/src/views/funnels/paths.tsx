/**
 * "Where did they go?": the paths answer for the visitors who reached a funnel step and went no
 * further, as a Sankey diagram (for the eye) and the same tree as a table (for screen readers and
 * exact figures). "Other" (branches past the top ones, merged) and "(left the site)" are drawn
 * apart from the pages. Figures are the API's, shares too (a node's visitors over the start's).
 */
import type { PathNode, PathsResult } from '@funnelhouse/schemas';
import { Sankey } from '../../charts/sankey.tsx';
import { fmtInt, fmtPct } from '../../format.ts';

const visitors = (n: number) => `${fmtInt(n)} visitor${n === 1 ? '' : 's'}`;

export function PathsDiagram({ result }: { result: PathsResult }) {
  const r = result;
  if (r.units === 0)
    return (
      <p class="muted" data-field="paths-empty">
        Nobody stopped at this step in this range, so there is no path to follow.
      </p>
    );
  const byId = new Map(r.nodes.map((n) => [n.id, n]));
  const parentOf = new Map(r.links.map((l) => [l.to, l.from]));
  const levels = Math.max(0, ...r.nodes.map((n) => n.level));
  return (
    <div class="paths">
      <p data-field="paths-units">
        <strong>{fmtInt(r.units)}</strong> visitors reached this step and went no further. Their next{' '}
        {r.depth === 1 ? 'page' : `${r.depth} pages`}, the top {r.width} at each branch:
      </p>
      <Sankey nodes={r.nodes} links={r.links} unitsText={visitors} />
      <ul class="sankey-legend small" aria-hidden="true">
        <li>
          <span class="swatch kind-label" /> a page (ids in paths read as *)
        </li>
        <li>
          <span class="swatch kind-other" /> Other: the rest of the branches, merged
        </li>
        <li>
          <span class="swatch kind-end" />{' '}
          {r.direction === 'after' ? '(left the site)' : '(start of the range)'}: no more pages
        </li>
      </ul>
      <details class="paths-table">
        <summary>The paths as a table</summary>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
        <section class="table-scroll" aria-label="The paths as a table" tabIndex={0}>
          <table data-table="paths">
            <caption class="visually-hidden">
              Each path after the step: its pages in order, how many visitors took it, and their share
            </caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  Pages after
                </th>
                <th scope="col">Path</th>
                <th scope="col" class="num">
                  Visitors
                </th>
                <th scope="col" class="num">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {r.nodes
                .filter((n) => n.kind !== 'start')
                .map((n) => (
                  <tr key={n.id} data-node={n.id} data-kind={n.kind}>
                    <td class="num">{n.level}</td>
                    <th scope="row" class={n.kind === 'label' ? '' : 'muted'}>
                      {trail(n, byId, parentOf)}
                    </th>
                    <td class="num" data-field="units">
                      {fmtInt(n.units)}
                    </td>
                    <td class="num">{fmtPct(n.share)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
        <p class="muted small">
          {levels} step{levels === 1 ? '' : 's'} after, {fmtInt(r.nodes.length)} nodes.
        </p>
      </details>
    </div>
  );
}

/** A node's labels from the first page after the start down to it: "/shipping → /faq". */
function trail(n: PathNode, byId: Map<string, PathNode>, parentOf: Map<string, string>): string {
  const labels: string[] = [];
  for (let at: PathNode | undefined = n; at && at.kind !== 'start'; at = byId.get(parentOf.get(at.id) ?? ''))
    labels.unshift(at.label);
  return labels.join(' → ');
}
