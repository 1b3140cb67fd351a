/**
 * The script-tag build (`f.js`): `<script defer src="…/f.js" data-site="KEY"></script>`.
 * Options are the tag's `data-*` attributes; the endpoint defaults to `/collect` beside f.js.
 * Calls made through the pre-load stub
 * `window.fh=window.fh||function(){(fh.q=fh.q||[]).push(arguments)}` are replayed, and the
 * real `fh` takes the stub's place: the one global.
 */
import type { Options } from './config.ts';
import { createTracker } from './tracker.ts';
import type { Fh } from './types.ts';

const w = window as unknown as { fh?: Fh & { q?: IArguments[] } };
const s = document.currentScript as HTMLScriptElement;
w.fh = createTracker({ endpoint: new URL('/collect', s.src).href, ...s.dataset } as Options, w.fh?.q);
