/**
 * A progress line on stderr: bar, percent of bytes, lines done / estimated total, events per
 * second and ETA. The total is estimated from bytes read so far (no counting pass over the file).
 * On a terminal it redraws in place a few times a second; otherwise it prints every few seconds.
 */
export class Progress {
  private last = 0;
  private readonly started = performance.now();
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly totalBytes: number,
    private readonly startBytes: number,
    private readonly enabled: boolean,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  update(p: { bytes: number; lines: number; events: number }, force = false): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.last < (this.tty ? 200 : 5000)) return;
    this.last = now;
    this.out.write(`${this.tty ? '\r\x1b[K' : ''}${this.render(p, now)}${this.tty ? '' : '\n'}`);
  }

  done(): void {
    if (this.enabled && this.tty) this.out.write('\n');
  }

  render(p: { bytes: number; lines: number; events: number }, now = performance.now()): string {
    const frac = this.totalBytes > 0 ? Math.min(1, p.bytes / this.totalBytes) : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? p.events / secs : 0;
    const readThisRun = p.bytes - this.startBytes;
    const bytesPerSec = secs > 0 ? readThisRun / secs : 0;
    const eta = bytesPerSec > 0 ? (this.totalBytes - p.bytes) / bytesPerSec : Number.NaN;
    const total = p.bytes > 0 ? Math.round((p.lines * this.totalBytes) / p.bytes) : 0;
    return `[${bar}] ${(frac * 100).toFixed(1)}%  ${fmt(p.lines)}/~${fmt(total)} lines  ${fmt(Math.round(rate))} ev/s  ETA ${clock(eta)}`;
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

function clock(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
