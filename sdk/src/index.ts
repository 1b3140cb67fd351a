/**
 * The script-tag build (`f.js`): `<script defer src="…/f.js" data-site="KEY"></script>`.
 * Options are the tag's `data-*` attributes; `window.fh` is the only global. Calls made through
 * the pre-load stub `window.fh=window.fh||function(){(fh.q=fh.q||[]).push(arguments)}` are
 * replayed. A second copy of the script leaves the running tracker alone.
 */
import type { Options } from './config.ts';
import { safe } from './guard.ts';
import { createTracker } from './tracker.ts';

const w = window as unknown as { fh?: { q?: IArguments[]; l?: 1 } };

if (!w.fh?.l)
  safe(() => {
    const s = document.currentScript as HTMLScriptElement;
    const fh = createTracker({ endpoint: new URL('/collect', s.src).href, ...s.dataset } as Options, w.fh?.q);
    w.fh = fh as typeof w.fh & {};
    w.fh.l = 1;
  })();
