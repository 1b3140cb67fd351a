import { on } from '../guard.ts';
import { emit } from './event.ts';

/**
 * `form_start` on the first input into a form (once per form element) and `form_submit` on
 * submit, with the form's id, name and field *names*. Values are never read.
 */
export function captureForms(): void {
  const started = new Set<HTMLFormElement>();
  const send = (type: 'form_start' | 'form_submit', f: HTMLFormElement) =>
    emit(type, {
      // getAttribute, not `.id`/`.name`: a field called "id" or "name" shadows those on a form.
      form: {
        id: f.getAttribute('id'),
        name: f.getAttribute('name'),
        fields: [...new Set([...f.elements].map((e) => (e as HTMLInputElement).name).filter((n) => n))],
      },
    });
  // `input` fires for every kind of field (text, checkbox, radio, select) as the user changes it.
  on(document, 'input', (e) => {
    const f = (e.target as HTMLInputElement).form;
    if (f && !started.has(f)) send('form_start', started.add(f) && f);
  });
  on(document, 'submit', (e) => send('form_submit', e.target as HTMLFormElement));
}
