/**
 * Tracker options. The script-tag build passes its own tag's `dataset` (`data-site`,
 * `data-endpoint`, `data-cookieless`, `data-respect-dnt`, `data-autocapture`, `data-hash`), so a
 * flag may be a string: present (`''`, `'true'`) is on, `'false'` is off.
 */
export interface Options {
  /** The site's public site key. */
  site: string;
  /** Where batches are posted; the script tag defaults to `/collect` beside `f.js`. */
  endpoint: string;
  /** Send no visitor or session id; the server derives a daily-salted hash instead. */
  cookieless?: Flag;
  /** Send nothing when the browser sets Do-Not-Track or Global Privacy Control. */
  respectDnt?: Flag;
  /** Capture clicks and forms automatically (default on; `false` turns it off). */
  autocapture?: Flag;
  /** Count hash changes (`#/route`) as page views. */
  hash?: Flag;
}

export type Flag = boolean | string;
