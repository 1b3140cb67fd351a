/**
 * The one verdict on an experiment's primary metric: pure, no I/O. The dashboard renders it as
 * is; nothing here is re-derived in the browser. The rules (README "Experiments", the OpenAPI
 * description of the results operation):
 *
 * 1. A sample ratio mismatch calls nothing (`untrustworthy`): when assignment or tracking is
 *    broken, a "significant" difference may be the breakage itself, in either direction.
 * 2. Without a comparison (a variant with no units) there is nothing to call (`no_data`).
 * 3. Before the planned sample (the smallest variant below `planning.needed_per_variant`, or no
 *    plan yet), the call rests on the always-valid (sequential) test: a fixed-horizon p-value read
 *    every day before its horizon overstates the evidence (the peeking problem), so it is never
 *    the ground for a winner then; when it is below α and the sequential one is not, the verdict
 *    says so. From the planned sample on, the call rests on the fixed-horizon test it was sized for.
 * 4. With fewer than 100 units in some variant (`low_sample`) nothing is called either way
 *    (`too_early`): both tests lean on the central limit theorem, which does not hold yet.
 * 5. A treatment is `better` or `worse` at Holm p < α in the metric's `direction` (the
 *    comparison's flags), the most significant better one first, then the most significant worse.
 * 6. The verdict states the test it rests on, the progress (the smallest variant's units as a
 *    share of the units planned per variant) and every health warning in words.
 */
import type {
  ExperimentDefinition,
  ExperimentMetric,
  ExperimentMetricResult,
  ExperimentResult,
  ExperimentVariantResult,
  ExperimentVerdict,
} from '@funnelhouse/schemas';

export interface VerdictInput {
  definition: ExperimentDefinition;
  /** Units per defined variant. */
  variants: ExperimentResult['variants'];
  health: ExperimentResult['health'];
  planning: ExperimentResult['planning'];
  /** The primary metric read with fixed-horizon statistics. */
  fixed: ExperimentMetricResult | undefined;
  /** The same sums read with the confidence sequence (always-valid). */
  sequential: ExperimentMetricResult | undefined;
}

type Test = NonNullable<ExperimentVerdict['test']>;

const TEST_WORDS: Record<Test, string> = {
  sequential: 'the always-valid (sequential) test',
  fixed_horizon: 'the fixed-horizon test',
};

const ALPHA = 0.05;

/** The metric in words, as the headline names it. */
export function metricWords(m: ExperimentMetric): string {
  switch (m.kind) {
    case 'conversion':
      return 'conversion rate';
    case 'funnel':
      return 'funnel completion';
    case 'property_sum':
      return `sum of ${m.property}`;
    case 'property_mean':
      return `mean of ${m.property}`;
    default:
      return m.kind.replace(/_/g, ' ');
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${pct(Math.abs(x))}`;
const int = (x: number) => x.toLocaleString('en-US');
const pIs = (p: number) => (p < 0.0001 ? 'p < 0.0001' : `p = ${p.toPrecision(2)}`);

/** The treatment the headline is about: the most significant better, else worse, else the closest. */
function pick(read: ExperimentMetricResult | undefined): ExperimentVariantResult | undefined {
  const compared = (read?.variants ?? []).filter((v) => v.comparison);
  const byP = (a: ExperimentVariantResult, b: ExperimentVariantResult) =>
    (a.comparison?.p_value_holm ?? 1) - (b.comparison?.p_value_holm ?? 1);
  return (
    compared.filter((v) => v.comparison?.significantly_better).sort(byP)[0] ??
    compared.filter((v) => v.comparison?.significantly_worse).sort(byP)[0] ??
    [...compared].sort(byP)[0]
  );
}

/**
 * The change in words: the relative uplift when there is one, else the absolute difference (in
 * the metric's currency for money).
 */
function change(v: ExperimentVariantResult, currency: string | null = null): string {
  const c = v.comparison;
  if (!c) return '';
  if (c.relative) return signedPct(c.relative.estimate);
  const a = c.absolute.estimate;
  const unit = currency ? ` ${currency}` : '';
  return `${a >= 0 ? '+' : '−'}${Math.abs(a).toPrecision(3)}${unit} (absolute)`;
}

type Code = ExperimentVerdict['warnings'][number]['code'];

/** Each health warning in words, from the answer's health and units. */
const WARNING_TEXT: Record<Code, (input: VerdictInput, unit: string) => string> = {
  srm: ({ health, variants }, unit) => {
    const split = variants.map((v) => `${v.key} ${int(v.units)}`).join(', ');
    const p = health.srm.p_value;
    return `Sample ratio mismatch: the exposures (${split}) do not fit the planned split${p === null ? '' : ` (${pIs(p)})`}; assignment or tracking is broken for some ${unit}s, so the numbers may be biased.`;
  },
  multiple_exposures: ({ health }, unit) =>
    `${count(health.multiple_exposures, unit)} (${pct(health.multiple_exposure_share)} of those exposed) saw more than one variant; they are left out of every number.`,
  // Any visitor can send any variant: the server lists the largest few and counts the rest.
  undefined_variants: ({ health }, unit) => {
    const list = health.undefined_variants.map((u) => `"${u.variant || '(none)'}" (${count(u.units, unit)})`);
    const more = health.undefined_variants_more;
    const rest = more > 0 ? ` and ${int(more)} more` : '';
    return `${cap(unit)}s were exposed to variants the experiment does not define: ${list.join(', ')}${rest}. They are left out.`;
  },
  low_sample: ({ variants }, unit) => {
    const few = variants.filter((v) => v.units < 100).map((v) => `${v.key} ${int(v.units)}`);
    return `Low sample: fewer than 100 ${unit}s in ${few.join(', ')}; the intervals are rough and no winner is named yet.`;
  },
  // Two currencies are never added: without rates each money metric reads one of them.
  mixed_currencies: ({ health, definition }) => {
    const each = health.mixed_currencies.map((m) => {
      const metric = metricAt(definition, m.role, m.index);
      const name = metric ? metricWords(metric) : 'a metric';
      const seen = m.currencies.map((c) => c || 'none').join(', ');
      const used = m.used ? `its ${m.used} amounts` : 'its amounts without a currency';
      return `${name} (${m.role}) reads only ${used} (of ${seen})`;
    });
    return `Amounts in more than one currency and no currency rates for the site: ${each.join('; ')}. Set the site's currency rates to convert every amount.`;
  },
};

function metricAt(d: ExperimentDefinition, role: string, index: number): ExperimentMetric | undefined {
  if (role === 'primary') return d.primary_metric;
  return (role === 'secondary' ? d.secondary_metrics : d.guardrail_metrics)?.[index];
}

const cap = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
const count = (n: number, unit: string) => `${int(n)} ${unit}${n === 1 ? '' : 's'}`;

function progressOf(planning: ExperimentResult['planning']): ExperimentVerdict['progress'] {
  const planned = planning.needed_per_variant;
  const units = planning.smallest_variant_units;
  return { units, planned, share: planned !== null && planned > 0 ? units / planned : null };
}

function progressText(p: ExperimentVerdict['progress'], days: number | null, unit: string): string {
  if (p.planned === null || p.share === null)
    return `No planned sample yet (no baseline to plan from); the smallest variant has ${int(p.units)} ${unit}s.`;
  if (p.share >= 1)
    return `The planned sample is reached: ${int(p.units)} of the ${int(p.planned)} ${unit}s planned per variant (${pct(p.share)}).`;
  const left =
    days !== null && days > 0
      ? ` About ${int(days)} more day${days === 1 ? '' : 's'} at the current pace.`
      : '';
  return `${int(p.units)} of the ${int(p.planned)} ${unit}s planned per variant so far (${pct(p.share)}, smallest variant).${left}`;
}

interface Call {
  call: ExperimentVerdict['call'];
  variant: ExperimentVariantResult | undefined;
  test: Test | null;
  headline: string;
}

/** The call and its headline, by rules 1–5. */
function decide(input: VerdictInput, reached: boolean, unit: string): Call {
  const { definition: d, health } = input;
  const control = d.control;
  const metric = input.fixed?.metric ?? d.primary_metric;
  const label = metricWords(metric);
  const dir = (metric.direction ?? 'increase') === 'decrease' ? ' (lower is better)' : '';
  if (health.srm.mismatch) {
    return {
      call: 'untrustworthy',
      variant: undefined,
      test: null,
      headline: `No verdict on ${label}: the split of ${unit}s is off (sample ratio mismatch), so no difference can be trusted until the assignment is fixed.`,
    };
  }
  const test: Test = reached ? 'fixed_horizon' : 'sequential';
  const read = test === 'sequential' ? input.sequential : input.fixed;
  const v = pick(read);
  const c = v?.comparison;
  if (!v || !c) {
    return {
      call: 'no_data',
      variant: undefined,
      test: null,
      headline: `Not enough data yet on ${label}: every variant needs exposed ${unit}s before they can be compared.`,
    };
  }
  const by = `${pIs(c.p_value_holm)} by ${TEST_WORDS[test]}`;
  const vs = `${v.variant} vs ${control} ${change(v, read?.currency ?? null)}`;
  if (health.low_sample) {
    return {
      call: 'too_early',
      variant: v,
      test,
      headline: `Too early to call ${label}${dir}: some variant has fewer than 100 ${unit}s. So far ${vs}, ${by}.`,
    };
  }
  if (c.significantly_better) {
    return {
      call: 'better',
      variant: v,
      test,
      headline: `${v.variant} beats ${control} on ${label}${dir}: ${change(v, read?.currency ?? null)}, ${by}.`,
    };
  }
  if (c.significantly_worse) {
    return {
      call: 'worse',
      variant: v,
      test,
      headline: `${v.variant} does worse than ${control} on ${label}${dir}: ${change(v, read?.currency ?? null)}, ${by}.`,
    };
  }
  if (reached) {
    return {
      call: 'no_difference',
      variant: v,
      test,
      headline: `No significant difference on ${label}${dir} at the planned sample: ${vs}, ${by}.`,
    };
  }
  return { call: 'too_early', variant: v, test, headline: `No winner yet on ${label}${dir}: ${vs}, ${by}.` };
}

/** A fixed-horizon p below α that the verdict does not rest on, said plainly. */
function unreadFixed(input: VerdictInput, call: Call): string {
  if (call.call !== 'too_early' || call.test !== 'sequential' || !call.variant) return '';
  const fixed = input.fixed?.variants.find((v) => v.variant === call.variant?.variant)?.comparison;
  if (!fixed || fixed.p_value_holm >= ALPHA) return '';
  return ` The fixed-horizon test gives ${pIs(fixed.p_value_holm)}, which is not read before the planned sample: read every day, it overstates the evidence.`;
}

/** The verdict of the results answer, by the rules of this file's header. */
export function experimentVerdict(input: VerdictInput): ExperimentVerdict {
  const unit = input.definition.unit ?? 'visitor';
  const progress = progressOf(input.planning);
  const reached = progress.share !== null && progress.share >= 1;
  const call = decide(input, reached, unit);
  const headline = call.headline + unreadFixed(input, call);
  const warnings = input.health.warnings.map((code) => ({ code, text: WARNING_TEXT[code](input, unit) }));
  const text = [
    headline,
    progressText(progress, input.planning.days_remaining, unit),
    ...warnings.map((w) => w.text),
  ].join(' ');
  return {
    call: call.call,
    variant: call.variant?.variant ?? null,
    test: call.test,
    p_value: call.variant?.comparison?.p_value_holm ?? null,
    direction: (input.fixed?.metric ?? input.definition.primary_metric).direction ?? 'increase',
    progress,
    headline,
    warnings,
    text,
  };
}
