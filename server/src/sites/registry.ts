import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SiteSummary } from '@funnelhouse/schemas';
import { customAlphabet } from 'nanoid';
import type { Store } from '../clickhouse/client.ts';
import type { Logger } from '../logger.ts';
import { getSetting } from '../queries/getSetting.ts';
import { insertApiKeyVersion } from '../queries/insertApiKeyVersion.ts';
import { insertSetting } from '../queries/insertSetting.ts';
import { insertSiteVersion } from '../queries/insertSiteVersion.ts';
import { listApiKeys } from '../queries/listApiKeys.ts';
import { listSites, type SiteRow } from '../queries/listSites.ts';
import { KeyUsage } from './key-usage.ts';

const idChars = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);
const secret = () => randomBytes(24).toString('base64url');

/** Hex SHA-256. Keys are 192-bit random strings, so a fast hash is enough at rest. */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Site extends SiteRow {}

/** What may change on a site after it was created. */
export interface SitePatch {
  name?: string;
  allowed_hosts?: string[];
  respect_dnt?: boolean;
  scrub_emails?: boolean;
  /** An IANA zone the engine knows, in its spelling (the route checks it). */
  time_zone?: string;
}

interface KeyEntry {
  keyId: string;
  siteId: string;
  hash: string;
  createdAt: number;
}

/**
 * Sites, public site keys and hashed secret keys, kept in ClickHouse and mirrored in memory so that
 * `/collect` and API authentication never wait on a query. On one box this process is the only
 * writer; with several processes on one ClickHouse server, each re-reads (`refreshEvery`).
 */
export class SiteRegistry {
  private sitesById = new Map<string, Site>();
  private sitesByKey = new Map<string, Site>();
  private keysByHash = new Map<string, KeyEntry>();
  private adminHash: string | undefined;
  private lastVersion = 0;
  /** When each API key was last used (memory first, written on a timer). */
  readonly usage: KeyUsage;

  constructor(private readonly store: Store) {
    this.usage = new KeyUsage(store);
  }

  async load(): Promise<void> {
    const [sites, keys, admin] = await Promise.all([
      listSites(this.store),
      listApiKeys(this.store),
      getSetting(this.store, 'admin_key_hash'),
      this.usage.load(),
    ]);
    this.sitesById = new Map(sites.map((s) => [s.site_id, s]));
    this.sitesByKey = new Map(sites.map((s) => [s.site_key, s]));
    this.keysByHash = new Map(
      keys.map((k) => [
        k.key_hash,
        { keyId: k.key_id, siteId: k.site_id, hash: k.key_hash, createdAt: k.created_at },
      ]),
    );
    this.adminHash = admin;
  }

  /**
   * Re-reads sites, keys and the admin hash every `ms` (other processes write them when several
   * share a ClickHouse server); a failed read keeps the last copy and is logged. A key revoked
   * elsewhere stops working here within `ms`. Returns the function that stops it.
   */
  refreshEvery(ms: number, log: Pick<Logger, 'warn'>): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.load()
        .catch((err: unknown) => log.warn('site registry refresh failed', { error: String(err) }))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    return () => clearInterval(timer);
  }

  bySiteKey(siteKey: string): Site | undefined {
    return this.sitesByKey.get(siteKey);
  }

  byId(siteId: string): Site | undefined {
    return this.sitesById.get(siteId);
  }

  /** The zone a site's reports are in when a request names none; UTC for an unknown site. */
  timeZoneOf(siteId: string): string {
    return this.sitesById.get(siteId)?.time_zone ?? 'UTC';
  }

  list(): SiteSummary[] {
    return [...this.sitesById.values()].map(toSummary);
  }

  /** The site a secret API key reads, or undefined for an unknown or revoked key. */
  siteOfApiKey(key: string): string | undefined {
    const hash = hashKey(key);
    const entry = this.keysByHash.get(hash);
    if (!entry || !sameHash(entry.hash, hash)) return undefined;
    this.usage.touch(entry.keyId, entry.siteId);
    return entry.siteId;
  }

  /** A site's live API keys, oldest first: id, creation and last use (ms), never the hash. */
  apiKeysOf(siteId: string): { keyId: string; createdAt: number; lastUsed: number | undefined }[] {
    return [...this.keysByHash.values()]
      .filter((k) => k.siteId === siteId)
      .sort((a, b) => a.createdAt - b.createdAt || a.keyId.localeCompare(b.keyId))
      .map((k) => ({ keyId: k.keyId, createdAt: k.createdAt, lastUsed: this.usage.lastUsed(k.keyId) }));
  }

  isAdminKey(key: string): boolean {
    return this.adminHash !== undefined && sameHash(this.adminHash, hashKey(key));
  }

  /**
   * Makes sure an admin key exists. A configured key replaces the stored hash; otherwise a key is
   * generated on first start.
   * @returns the new plain key when one was generated (to print once), else undefined.
   */
  async ensureAdminKey(configured: string | undefined): Promise<string | undefined> {
    if (configured) {
      const hash = hashKey(configured);
      if (this.adminHash !== hash) await this.writeSetting('admin_key_hash', hash);
      this.adminHash = hash;
      return undefined;
    }
    if (this.adminHash) return undefined;
    const key = `fha_${secret()}`;
    this.adminHash = hashKey(key);
    await this.writeSetting('admin_key_hash', this.adminHash);
    return key;
  }

  async createSite(
    name: string,
    opts: { siteId?: string; siteKey?: string; allowedHosts?: string[]; timeZone?: string } = {},
  ): Promise<{ site: Site; apiKey: string }> {
    const now = Date.now();
    const site: Site = {
      site_id: opts.siteId ?? idChars(),
      name,
      site_key: opts.siteKey ?? `fhs_${idChars()}`,
      allowed_hosts: opts.allowedHosts ?? [],
      respect_dnt: 0,
      scrub_emails: 0,
      time_zone: opts.timeZone ?? 'UTC',
      created_at: now,
    };
    await this.writeSite(site, false);
    const apiKey = await this.createApiKey(site.site_id);
    return { site, apiKey };
  }

  /** Creates a secret analytics key for a site; the plain key exists only in the return value. */
  async createApiKey(siteId: string): Promise<string> {
    const keyId = idChars();
    const key = `fhk_${keyId}_${secret()}`;
    const hash = hashKey(key);
    const now = Date.now();
    await insertApiKeyVersion(this.store, {
      key_id: keyId,
      site_id: siteId,
      key_hash: hash,
      created_at: now,
      updated_at: this.nextVersion(),
      revoked: 0,
    });
    this.keysByHash.set(hash, { keyId, siteId, hash, createdAt: now });
    return key;
  }

  /** Changes a site's settings; undefined when the site does not exist. */
  async updateSite(siteId: string, patch: SitePatch): Promise<Site | undefined> {
    const old = this.sitesById.get(siteId);
    if (!old) return undefined;
    const site: Site = {
      ...old,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.allowed_hosts !== undefined ? { allowed_hosts: patch.allowed_hosts } : {}),
      ...(patch.respect_dnt !== undefined ? { respect_dnt: patch.respect_dnt ? 1 : 0 } : {}),
      ...(patch.scrub_emails !== undefined ? { scrub_emails: patch.scrub_emails ? 1 : 0 } : {}),
      ...(patch.time_zone !== undefined ? { time_zone: patch.time_zone } : {}),
    };
    await this.writeSite(site, false);
    return site;
  }

  /**
   * Revokes one API key of a site, by its id (the part after `fhk_`). A key id of another site is
   * treated as unknown. Takes effect at once: the in-memory map is what authentication reads.
   * @returns false when the site has no such live key.
   */
  async revokeApiKey(siteId: string, keyId: string): Promise<boolean> {
    const entry = [...this.keysByHash.values()].find((k) => k.keyId === keyId && k.siteId === siteId);
    if (!entry) return false;
    await this.writeKeyRevoked(entry);
    this.keysByHash.delete(entry.hash);
    return true;
  }

  /** Marks a site deleted and revokes its keys: its site key and API keys stop working at once. */
  async deleteSite(siteId: string): Promise<boolean> {
    const site = this.sitesById.get(siteId);
    if (!site) return false;
    const keys = [...this.keysByHash.values()].filter((k) => k.siteId === siteId);
    for (const k of keys) {
      await this.writeKeyRevoked(k);
      this.keysByHash.delete(k.hash);
    }
    await this.writeSite(site, true);
    return true;
  }

  /** Writes a new version of a site row and updates the in-memory mirror. */
  private async writeSite(site: Site, deleted: boolean): Promise<void> {
    await insertSiteVersion(this.store, {
      ...site,
      updated_at: this.nextVersion(),
      deleted: deleted ? 1 : 0,
    });
    const old = this.sitesById.get(site.site_id);
    if (old) this.sitesByKey.delete(old.site_key);
    if (deleted) {
      this.sitesById.delete(site.site_id);
      return;
    }
    this.sitesById.set(site.site_id, site);
    this.sitesByKey.set(site.site_key, site);
  }

  private async writeKeyRevoked(k: KeyEntry): Promise<void> {
    await insertApiKeyVersion(this.store, {
      key_id: k.keyId,
      site_id: k.siteId,
      key_hash: k.hash,
      created_at: k.createdAt,
      updated_at: this.nextVersion(),
      revoked: 1,
    });
  }

  /**
   * Row versions for ReplacingMergeTree: strictly increasing, so two changes within one
   * millisecond still replace each other in order.
   */
  private nextVersion(): number {
    this.lastVersion = Math.max(Date.now(), this.lastVersion + 1);
    return this.lastVersion;
  }

  private async writeSetting(name: string, value: string): Promise<void> {
    await insertSetting(this.store, name, value);
  }
}

export function toSummary(s: Site): SiteSummary {
  return {
    id: s.site_id,
    name: s.name,
    site_key: s.site_key,
    allowed_hosts: s.allowed_hosts,
    respect_dnt: s.respect_dnt === 1,
    scrub_emails: s.scrub_emails === 1,
    time_zone: s.time_zone,
    created_at: new Date(s.created_at).toISOString(),
  };
}
