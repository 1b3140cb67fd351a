/**
 * A text input that commits on change (blur or Enter) and keeps what is being typed meanwhile.
 * Preact writes a controlled input's `value` back into the DOM on every render, so an answer that
 * lands mid-typing (a funnel result, the schema) would reset the field to the last committed value
 * and the rest of the typing would be saved alone (`/prod` lost, `ucts/*` saved). The draft lives
 * in local state from the first keystroke until the field loses focus.
 */
import { useState } from 'preact/hooks';

/** The attributes the builder's fields use. */
interface InputProps {
  id?: string;
  type?: 'text' | 'number';
  min?: string;
  max?: string;
  list?: string;
  placeholder?: string;
  disabled?: boolean;
  'aria-label'?: string;
}

export function DraftInput(props: InputProps & { value: string; onCommit: (value: string) => void }) {
  const { value, onCommit, ...rest } = props;
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const read = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <input
      {...rest}
      value={draft ?? value}
      onInput={(e) => setDraft(read(e))}
      onChange={(e) => onCommit(read(e))}
      onBlur={() => setDraft(undefined)}
    />
  );
}
