import { createHash, randomBytes } from 'node:crypto';

/**
 * Cookieless visitor ids: hash(daily salt, site, address, user agent). The salt changes every UTC
 * day and older salts are forgotten, so an id cannot be linked across days or reversed to an
 * address. Salts live in memory: a restart starts a new salt (and new ids) for the rest of the day.
 */
export class DailySalt {
  private day = '';
  private salt = Buffer.alloc(0);

  visitorId(siteId: string, ip: string, userAgent: string, now = Date.now()): string {
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.salt = randomBytes(32);
    }
    return createHash('sha256')
      .update(this.salt)
      .update(`\0${siteId}\0${ip}\0${userAgent}`)
      .digest('base64url')
      .slice(0, 22);
  }
}
