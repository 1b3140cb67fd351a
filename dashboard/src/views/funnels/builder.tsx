/**
 * The funnel builder: steps (add, reorder, remove; event type, name, path pattern, element, form,
 * one property filter), window, order mode, exclusion, counting unit and breakdown. Choices come
 * from what the site has sent (the schema endpoint); any value can still be typed.
 */
import type {
  EventType,
  FunnelDefinition,
  FunnelOrder,
  FunnelStep,
  SiteSchemaResponse,
  StepAlternative,
} from '@funnelhouse/schemas';
import { addStep, alternativeOf, moveStep, removeStep, withField, withStep } from './definition.ts';
import { DraftInput } from './draft-input.tsx';

const ORDERS: Record<FunnelOrder, string> = {
  ordered: 'In order, other events allowed between',
  strict: 'In order, nothing else between',
  any: 'Any order after the first step',
  unordered: 'Any order, starting at any step',
};
const UNITS = {
  visitor: 'Visitors',
  session: 'Sessions',
  user: 'Users',
  cart_id: 'Carts',
  order_id: 'Orders',
};
export const BREAKDOWNS: Record<string, string> = {
  '': 'No breakdown',
  'column:channel': 'Channel',
  'column:utm_source': 'Source',
  'column:utm_campaign': 'Campaign',
  'column:device': 'Device',
  'column:browser': 'Browser',
  'column:country': 'Country',
};

const val = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;

/** Said where the step is edited when the answer counts no event matching it. */
export const NO_MATCH = 'No event in this range matches this step';

export function Builder(props: {
  def: FunnelDefinition;
  schema: SiteSchemaResponse | undefined;
  breakdown: string;
  /** Per step, the events in the range matching it (the answer's `step_events`), once answered. */
  stepEvents: number[] | undefined;
  onChange: (d: FunnelDefinition) => void;
  onBreakdown: (b: string) => void;
}) {
  const { def, schema, onChange } = props;
  const types = schema?.event_types.map((t) => t.type) ?? ['pageview', 'click', 'purchase'];
  const experiments = schema?.names.filter((n) => n.type === 'exposure').map((n) => n.name) ?? [];
  const exclusion = def.exclusions?.[0];
  const last = def.steps.length;
  return (
    <section class="card builder" aria-labelledby="builder-title">
      <h2 id="builder-title">Steps</h2>
      <datalist id="dl-props">
        {schema?.properties.map((p) => (
          <option key={p.key} value={p.key} />
        ))}
      </datalist>
      <ol class="steps">
        {def.steps.map((s, i) => (
          <StepEditor
            key={i}
            i={i}
            count={def.steps.length}
            step={s}
            types={types}
            schema={schema}
            matchesNothing={props.stepEvents?.[i] === 0}
            onChange={(next) => onChange(withStep(def, i, next))}
            onMove={(by) => onChange(moveStep(def, i, by))}
            onRemove={() => onChange(removeStep(def, i))}
          />
        ))}
      </ol>
      <button
        type="button"
        class="ghost"
        onClick={() => onChange(addStep(def))}
        disabled={def.steps.length >= 20}
      >
        Add a step
      </button>
      <div class="options">
        <div class="field">
          <label
            for="f-window"
            title="How long after the first step someone has to reach the last one to count as converted (the funnel's window)"
          >
            Time to complete (hours)
          </label>
          <DraftInput
            id="f-window"
            type="number"
            min="1"
            max="8784"
            value={String(Math.round((def.window_seconds ?? 14 * 86_400) / 3600))}
            onCommit={(v) => {
              const h = Number(v);
              if (h >= 1) onChange({ ...def, window_seconds: Math.round(h * 3600) });
            }}
          />
        </div>
        <div class="field funnel-wide">
          <label for="f-order">Order</label>
          <select
            id="f-order"
            value={def.order ?? 'ordered'}
            onChange={(e) => onChange({ ...def, order: val(e) as FunnelOrder })}
          >
            {Object.entries(ORDERS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-unit">Count</label>
          <select
            id="f-unit"
            value={typeof def.unit === 'string' ? def.unit : 'visitor'}
            onChange={(e) => onChange({ ...def, unit: val(e) as keyof typeof UNITS })}
          >
            {Object.entries(UNITS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-breakdown">Breakdown</label>
          <select id="f-breakdown" value={props.breakdown} onChange={(e) => props.onBreakdown(val(e))}>
            {Object.entries(BREAKDOWNS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
            {experiments.map((x) => (
              <option key={x} value={`experiment:${x}`}>
                Variant of {x}
              </option>
            ))}
            {schema?.properties.map((p) => (
              <option key={p.key} value={`property:${p.key}`}>
                Property {p.key}
              </option>
            ))}
          </select>
        </div>
        <div class="field funnel-wide">
          <label for="f-exclude">Leave out anyone who did, between the first and last step</label>
          <select
            id="f-exclude"
            value={exclusion?.match[0]?.type ?? ''}
            onChange={(e) => {
              const t = val(e);
              const { exclusions: _drop, ...rest } = def;
              onChange(
                t
                  ? {
                      ...rest,
                      exclusions: [{ match: [{ type: t as EventType }], from_step: 1, to_step: last }],
                    }
                  : rest,
              );
            }}
          >
            <option value="">Nothing</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
      </div>
    </section>
  );
}

function StepEditor(props: {
  i: number;
  count: number;
  step: FunnelStep;
  types: string[];
  schema: SiteSchemaResponse | undefined;
  matchesNothing: boolean;
  onChange: (s: FunnelStep) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const { i, step, schema } = props;
  const a = alternativeOf(step);
  const n = i + 1;
  const set = (next: StepAlternative) => props.onChange({ ...step, match: [next, ...step.match.slice(1)] });
  const names = schema?.names.filter((x) => !a.type || x.type === a.type).map((x) => x.name) ?? [];
  const filter = a.filters?.[0];
  const filterKey = filter && 'property' in filter ? filter.property : '';
  const filterValue = filter && 'value' in filter ? String(filter.value) : '';
  const topValues = schema?.properties.find((p) => p.key === filterKey)?.top_values ?? [];
  const setFilter = (key: string, value: string) =>
    set(withField(a, 'filters', key ? [{ property: key, op: 'eq', value }] : undefined));
  const id = (f: string) => `s${n}-${f}`;
  return (
    <li class="step" aria-label={`Step ${n}`}>
      <div class="step-head">
        <strong>Step {n}</strong>
        <DraftInput
          aria-label={`Step ${n} label`}
          placeholder="Label"
          value={step.label ?? ''}
          onCommit={(v) => {
            const { label: _drop, ...rest } = step;
            props.onChange(v ? { ...rest, label: v } : rest);
          }}
        />
        <span class="spacer" />
        <button
          type="button"
          class="ghost"
          aria-label={`Move step ${n} up`}
          disabled={i === 0}
          onClick={() => props.onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          class="ghost"
          aria-label={`Move step ${n} down`}
          disabled={i === props.count - 1}
          onClick={() => props.onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          class="ghost"
          aria-label={`Remove step ${n}`}
          disabled={props.count <= 2}
          onClick={props.onRemove}
        >
          ✕
        </button>
      </div>
      <div class="step-fields">
        <div class="field">
          <label for={id('type')}>Event</label>
          <select
            id={id('type')}
            value={a.type ?? ''}
            onChange={(e) => set(withField(a, 'type', val(e) as EventType))}
          >
            <option value="">Any event</option>
            {props.types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={id('name')}>Name</label>
          <DraftInput
            id={id('name')}
            list={id('names')}
            value={a.name ?? ''}
            onCommit={(v) => set(withField(a, 'name', v))}
          />
          <datalist id={id('names')}>
            {names.map((x) => (
              <option key={x} value={x} />
            ))}
          </datalist>
        </div>
        <div class="field">
          <label for={id('path')}>Page path (* = anything)</label>
          <DraftInput
            id={id('path')}
            placeholder="/checkout*"
            value={a.path?.value ?? ''}
            onCommit={(v) => set(withField(a, 'path', v ? { op: 'wildcard', value: v } : undefined))}
          />
        </div>
        <div class="field">
          <label for={id('el')}>Clicked element (selector)</label>
          <DraftInput
            id={id('el')}
            placeholder="#buy"
            value={a.element?.selector ?? ''}
            onCommit={(v) => set(withField(a, 'element', v ? { selector: v } : undefined))}
          />
        </div>
        <div class="field">
          <label for={id('form')}>Form id</label>
          <DraftInput
            id={id('form')}
            value={a.form_id ?? ''}
            onCommit={(v) => set(withField(a, 'form_id', v))}
          />
        </div>
        <div class="field">
          <label for={id('pk')}>Property</label>
          <DraftInput
            id={id('pk')}
            list="dl-props"
            value={filterKey}
            onCommit={(v) => setFilter(v, filterValue)}
          />
        </div>
        <div class="field">
          <label for={id('pv')}>equals</label>
          <DraftInput
            id={id('pv')}
            list={id('pvs')}
            value={filterValue}
            disabled={!filterKey}
            onCommit={(v) => setFilter(filterKey, v)}
          />
          <datalist id={id('pvs')}>
            {topValues.map((v) => (
              <option key={v.value} value={v.value} />
            ))}
          </datalist>
        </div>
        {props.matchesNothing ? (
          <p class="funnel-step-warn" data-warn="no-match">
            {NO_MATCH}. Check its event, name and page path (a typo matches nothing).
          </p>
        ) : null}
        {i > 0 && i < props.count - 1 ? (
          <label class="check">
            <input
              type="checkbox"
              checked={step.optional === true}
              onChange={(e) => {
                const { optional: _drop, ...rest } = step;
                props.onChange((e.target as HTMLInputElement).checked ? { ...rest, optional: true } : rest);
              }}
            />
            Optional
          </label>
        ) : null}
      </div>
    </li>
  );
}
