import { assignVariant } from '../assign.ts';
import { visitor } from '../identity.ts';
import { emit } from './event.ts';

/**
 * The visitor's variant of experiment `key`. The first call assigns it from the visitor id,
 * stores it, and sends the one `exposure` of this visitor and experiment; later calls return
 * the stored variant while it is still one of `variants`. At most 20 assignments are kept (the
 * server's `LIMITS.experiments`), the earliest dropped first.
 */
export function variant(
  key: string,
  variants: string[],
  weights?: number[] | null,
  callback?: (variant: string) => void,
): string {
  const s = visitor();
  const x = s.x || {};
  let v = x[key] as string;
  if (!variants.includes(v)) {
    x[key] = v = assignVariant(s.v, key, variants, weights);
    for (const k of Object.keys(x).slice(0, -20)) delete x[k];
    visitor((s) => (s.x = x));
    emit('exposure', { name: key, variant: v });
  }
  callback?.(v);
  return v;
}

/**
 * The no-code form: `<button data-fh-variant="cta-color" data-fh-variants="green red">` gets
 * the class `fh-cta-color-green` or `fh-cta-color-red` (variants weighted evenly), which the
 * site's stylesheet styles.
 */
export function applyVariants(): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-fh-variant]')) {
    const key = el.dataset.fhVariant as string;
    el.classList.add(`fh-${key}-${variant(key, (el.dataset.fhVariants as string).split(' '))}`);
  }
}
