/**
 * Input limits shared by the snippet, the server and the docs. The server enforces them; the
 * snippet truncates to them so that a well-behaved client never hits a 4xx.
 */
export const LIMITS = {
  /** Largest accepted `/collect` body, in bytes. */
  bodyBytes: 256 * 1024,
  /** Events in one `/collect` batch. */
  eventsPerBatch: 100,
  /** Free properties on one event. */
  props: 50,
  /** Length of a property key. */
  keyLength: 64,
  /** Length of a free-text property value. */
  valueLength: 1000,
  /** Items in one cart or order event. */
  items: 100,
  /** Active experiment assignments on one event. */
  experiments: 20,
  /** Nesting depth of a JSON body. */
  jsonDepth: 8,
  /** Length of URLs and referrers. */
  urlLength: 2048,
  /** Length of ids (event, visitor, session, user, cart, order). */
  idLength: 128,
  /** Length of short labels (names, titles, element text). */
  textLength: 500,
  /** Form field names reported on one form event. */
  formFields: 100,
  /** Events in one server events API batch (`POST /api/v1/sites/:siteId/events`). */
  serverEventsPerBatch: 1000,
  /** Largest accepted server events API body, in bytes. */
  serverBodyBytes: 4 * 1024 * 1024,
  /**
   * Largest accepted body of every other route (funnels, site administration), in bytes: the
   * largest funnel definition `FUNNEL_LIMITS` allows fits several times over.
   */
  apiBodyBytes: 1024 * 1024,
  /** Length of a user agent given with a server event. */
  userAgentLength: 1000,
} as const;
