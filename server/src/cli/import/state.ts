import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * What a resumed import needs: everything up to `line` (ending at byte `offset`) is confirmed by
 * the server and its rejected lines are in the rejects file, whose length then was `rejectsBytes`.
 */
export interface ImportState {
  version: 1;
  file: string;
  site: string;
  line: number;
  offset: number;
  rejectsBytes: number;
  csvColumns?: string[];
  counts: { stored: number; duplicates: number; rejected: number };
  rejectedByCode: Record<string, number>;
}

export function freshState(file: string, site: string): ImportState {
  return {
    version: 1,
    file,
    site,
    line: 0,
    offset: 0,
    rejectsBytes: 0,
    counts: { stored: 0, duplicates: 0, rejected: 0 },
    rejectedByCode: {},
  };
}

/** The saved state for this file and site, or undefined to start from the beginning. */
export function loadState(path: string, file: string, site: string): ImportState | undefined {
  if (!existsSync(path)) return undefined;
  const s = JSON.parse(readFileSync(path, 'utf8')) as ImportState;
  if (s.version !== 1 || s.file !== file || s.site !== site) {
    throw new Error(
      `${path} belongs to another import (${s.file} → site ${s.site}); remove it or pass --state`,
    );
  }
  return s;
}

/** Writes the state atomically (write, then rename), so a kill never leaves half a file. */
export function saveState(path: string, s: ImportState): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(s));
  renameSync(`${path}.tmp`, path);
}
