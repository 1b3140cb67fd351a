/**
 * "Why did they drop here?": the correlation answer for a step pair, as the API ranks it — the
 * success signals (odds ratio above 1) and the drop-off signals (below 1), each with its units,
 * the converted share of those who did it and of those who did not, the odds ratio with its 95 %
 * interval (drawn on a log scale) and the Benjamini–Hochberg q-value; then how many candidates
 * were tested, the minimum support, and what was left out because it defines a step.
 *
 * Every figure is the API's, only formatted (the units and shares too: `units`, `converted_share`).
 */
import type { CorrelationCandidate, CorrelationResult } from '@funnelhouse/schemas';
import { useState } from 'preact/hooks';
import { fmtInt, fmtPct } from '../../format.ts';
import { candidateLabel, fmtQ, fmtRatio } from './signals.ts';

/** Rows shown before "Show all". */
const FIRST_ROWS = 10;

/** The log-scale domain shared by every bar of the answer: all intervals, and 1, with a margin. */
function domainOf(r: CorrelationResult): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const c of [...r.success, ...r.drop_off]) {
    const { low, high } = c.odds_ratio_interval;
    if (low > 0 && Number.isFinite(low)) lo = Math.min(lo, Math.log(low));
    if (high > 0 && Number.isFinite(high)) hi = Math.max(hi, Math.log(high));
  }
  // At most 1/1000 … 1000: a wider interval runs off the bar's end (its figures say how far).
  const cap = Math.log(1000);
  return [Math.max(-cap, lo) - 0.1, Math.min(cap, hi) + 0.1];
}

/** The interval as a bar on a log scale with the point estimate, and a rule at 1 (no association). */
function OddsBar({ c, domain }: { c: CorrelationCandidate; domain: [number, number] }) {
  const W = 120;
  const [a, b] = domain;
  const x = (v: number) => {
    const l = v > 0 ? Math.log(v) : a;
    return Math.round((W * (Math.min(b, Math.max(a, l)) - a)) / (b - a)) + 0.5;
  };
  const { low, high } = c.odds_ratio_interval;
  return (
    <svg class="or-bar" width={W} height={14} viewBox={`0 0 ${W} 14`} aria-hidden="true">
      <line class="or-one" x1={x(1)} x2={x(1)} y1={0} y2={14} />
      <rect
        class={c.odds_ratio >= 1 ? 'or-up' : 'or-down'}
        x={x(low)}
        y={4}
        width={Math.max(1, x(high) - x(low))}
        height={6}
        rx={2}
      />
      <circle class="or-point" cx={x(c.odds_ratio)} cy={7} r={3.5} />
    </svg>
  );
}

function SignalTable({
  id,
  title,
  rows,
  domain,
  empty,
}: {
  id: 'success' | 'drop-off';
  title: string;
  rows: CorrelationCandidate[];
  domain: [number, number];
  empty: string;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);
  return (
    <div class="signals">
      <h3 id={`corr-${id}`}>{title}</h3>
      {rows.length === 0 ? (
        <p class="muted small">{empty}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section class="table-scroll" aria-labelledby={`corr-${id}`} tabIndex={0}>
          <table data-table={`corr-${id}`} data-cards="" aria-labelledby={`corr-${id}`}>
            <thead>
              <tr>
                <th scope="col">Signal</th>
                <th scope="col" class="num">
                  Did it
                </th>
                <th scope="col" class="num wrap">
                  Converted, did it
                </th>
                <th scope="col" class="num wrap">
                  Converted, did not
                </th>
                <th scope="col">Odds ratio (95 % interval)</th>
                <th scope="col" class="num">
                  q-value
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => {
                return (
                  <tr key={`${c.kind}:${c.property ?? ''}:${c.value}`} data-kind={c.kind}>
                    <th
                      scope="row"
                      data-field="signal"
                      class={c.bucket && c.bucket !== 'value' ? 'muted' : ''}
                    >
                      {candidateLabel(c)}
                    </th>
                    <td class="num" data-label="Did it" data-field="units">
                      {fmtInt(c.units)}
                    </td>
                    <td class="num" data-label="Converted, did it" data-field="with">
                      {fmtPct(c.converted_share.did)}
                    </td>
                    <td class="num" data-label="Converted, did not" data-field="without">
                      {fmtPct(c.converted_share.did_not)}
                    </td>
                    <td data-label="Odds ratio" class="or-cell">
                      <span class="or-value">
                        <span class="or-text">
                          <strong data-field="or">{fmtRatio(c.odds_ratio)}</strong>{' '}
                          <span class="muted small">
                            (<span data-field="or-low">{fmtRatio(c.odds_ratio_interval.low)}</span> –{' '}
                            <span data-field="or-high">{fmtRatio(c.odds_ratio_interval.high)}</span>)
                            {c.corrected ? (
                              <abbr title="A cell of its table was zero: 0.5 was added to every cell (Haldane–Anscombe).">
                                *
                              </abbr>
                            ) : null}
                          </span>
                        </span>
                        <OddsBar c={c} domain={domain} />
                      </span>
                    </td>
                    <td
                      class="num"
                      data-label="q-value"
                      data-field="q"
                      title={`p = ${c.p_value.toPrecision(3)} (${c.test === 'fisher' ? "Fisher's exact test" : 'chi-square test'})`}
                    >
                      {fmtQ(c.q_value)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {rows.length > FIRST_ROWS ? (
        <button type="button" class="ghost" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? `Show the first ${FIRST_ROWS}` : `Show all ${fmtInt(rows.length)}`}
        </button>
      ) : null}
    </div>
  );
}

export function CorrelationTables({ result }: { result: CorrelationResult }) {
  const domain = domainOf(result);
  const r = result;
  return (
    <div class="correlation">
      <p data-field="corr-units">
        <strong>{fmtInt(r.units.converted)}</strong> went on to step {r.steps.to + 1} and{' '}
        <strong>{fmtInt(r.units.dropped)}</strong> did not, of those who reached step {r.steps.from + 1}.
      </p>
      <p class="muted small" data-field="tested">
        {fmtInt(r.tested)} candidates tested, min support {fmtInt(r.min_support)} units
        {r.untested > 0 ? ` (${fmtInt(r.untested)} more done by fewer)` : ''}
        {r.candidates_found > r.candidates_limit
          ? `; only the ${fmtInt(r.candidates_limit)} done by the most units of ${fmtInt(r.candidates_found)} found`
          : ''}
        . The q-value controls false discoveries over all {fmtInt(r.tested)}: a signal with q below 0.05 is
        worth a look; an odds ratio says how the odds of converting differ, not why.
      </p>
      <SignalTable
        id="success"
        title="Goes with converting"
        rows={r.success}
        domain={domain}
        empty="No tested candidate goes with converting."
      />
      <SignalTable
        id="drop-off"
        title="Goes with dropping"
        rows={r.drop_off}
        domain={domain}
        empty="No tested candidate goes with dropping."
      />
      {r.excluded.length > 0 ? (
        <p class="muted small" data-field="excluded">
          Not tested, as they define a later step:{' '}
          {r.excluded.map((e, i) => (
            <span key={`${e.kind}:${e.value}`}>
              {i > 0 ? ', ' : ''}
              <span data-excluded={e.value}>
                {e.kind === 'event_name' ? 'custom event ' : 'event '}
                {e.value} (step {e.step + 1})
              </span>
            </span>
          ))}
          .
        </p>
      ) : null}
    </div>
  );
}
