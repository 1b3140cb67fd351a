/** The browser's opt-out signals: Do Not Track (`DNT: 1`) and Global Privacy Control (`Sec-GPC: 1`). */
export function optedOut(header: (name: string) => string | undefined): boolean {
  return header('dnt')?.trim() === '1' || header('sec-gpc')?.trim() === '1';
}
