/** A "Copy" button for a value shown on the page, with a spoken "Copied." once it is done. */
import { useState } from 'preact/hooks';

/** `label` names what is copied, for screen readers (the visible text stays "Copy"). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span class="copy">
      <button
        type="button"
        aria-label={label}
        onClick={() =>
          navigator.clipboard?.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        Copy
      </button>
      <span role="status" class="muted">
        {copied ? ' Copied.' : ''}
      </span>
    </span>
  );
}
