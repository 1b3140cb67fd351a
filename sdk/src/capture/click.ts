import { emit } from './event.ts';

/**
 * A selector that survives re-renders and reordering: tag, id and classes of the element itself
 * (`button#buy.cta.large`), not its position in the page, which changes with every edit.
 */
export function selectorOf(el: Element): string {
  return el.localName + (el.id && `#${el.id}`) + [...el.classList].map((c) => `.${c}`).join('');
}

/**
 * Clicks on links, buttons and `[data-fh]` elements (with autocapture off, `[data-fh-event]`
 * only), with the element's tag, id, selector, text and link target. Declarative
 * events: `data-fh-event="signup"` names the click, `data-fh-prop-plan="pro"` adds props.
 */
export function onClick(e: Event, auto: boolean): void {
  const el = (e.target as Element).closest(auto ? 'a,button,[data-fh],[data-fh-event]' : '[data-fh-event]');
  if (!el) return;
  const props: Record<string, string> = {};
  for (const a of el.attributes) if (a.name.startsWith('data-fh-prop-')) props[a.name.slice(13)] = a.value;
  const href = (el as unknown as { href?: string | SVGAnimatedString }).href;
  // Strings are cut to the server's limits when the batch is serialised.
  emit('click', {
    name: (el as HTMLElement).dataset.fhEvent,
    props,
    el: {
      tag: el.localName,
      id: el.id,
      selector: selectorOf(el),
      text: (el.textContent as string).replace(/\s+/g, ' ').trim(),
      // An SVG link's href is an object holding the string.
      href: (href as SVGAnimatedString)?.baseVal ?? href,
    },
  });
}
