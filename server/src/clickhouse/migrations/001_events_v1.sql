-- One row per accepted event. Sorted for per-visitor funnel scans: a site's day of events is
-- contiguous and, within it, each visitor's events are adjacent and in time order.
CREATE TABLE IF NOT EXISTS {db:Identifier}.events_v1
(
    site_id          LowCardinality(String)  COMMENT 'Site the event belongs to (sites_v1.site_id)',
    event_id         String                  COMMENT 'Client-made unique id; a retry keeps it, reports count each id once',
    type             LowCardinality(String)  COMMENT 'pageview, click, form_start, form_submit, GA4 commerce names, exposure, identify, custom',
    name             String                  COMMENT 'Custom event name, declarative click name, or experiment key for exposure events',
    ts               DateTime64(3, 'UTC')    COMMENT 'Client time corrected for clock skew: received_at - (sent_at - client ts), never in the future',
    received_at      DateTime64(3, 'UTC')    COMMENT 'Server time the batch was received',
    source           LowCardinality(String)  COMMENT 'browser (the snippet), server (server events API) or import',
    visitor_id       String                  COMMENT 'Client visitor id, or a daily-salted hash in cookieless mode',
    session_id       String                  COMMENT 'Client session id (30 minutes of inactivity ends a session)',
    user_id          String                  COMMENT 'Identified user id set by identify, empty when anonymous',
    url              String                  COMMENT 'Page URL with secrets scrubbed from the query string',
    host             LowCardinality(String)  COMMENT 'Host name of url',
    path             String                  COMMENT 'Path of url, without query or fragment',
    title            String                  COMMENT 'Document title',
    referrer         String                  COMMENT 'External referrer that started the session',
    referrer_host    LowCardinality(String)  COMMENT 'Host name of referrer, without www.',
    channel          LowCardinality(String)  COMMENT 'direct, organic_search, paid_search, social, email, referral or internal',
    utm_source       String                  COMMENT 'utm_source of the landing page',
    utm_medium       String                  COMMENT 'utm_medium of the landing page',
    utm_campaign     String                  COMMENT 'utm_campaign of the landing page',
    utm_term         String                  COMMENT 'utm_term of the landing page',
    utm_content      String                  COMMENT 'utm_content of the landing page',
    click_id_kind    LowCardinality(String)  COMMENT 'Ad click id present on the landing page: gclid, fbclid, msclkid, ... (the value is not kept)',
    browser          LowCardinality(String)  COMMENT 'Browser name from the user agent',
    browser_version  LowCardinality(String)  COMMENT 'Browser major version',
    os               LowCardinality(String)  COMMENT 'Operating system name',
    device           LowCardinality(String)  COMMENT 'desktop, mobile, tablet or other',
    country          LowCardinality(String)  COMMENT 'ISO 3166-1 alpha-2 country from the client IP; the IP itself is discarded',
    el_tag           LowCardinality(String)  COMMENT 'Clicked element tag name',
    el_id            String                  COMMENT 'Clicked element id attribute',
    el_classes       String                  COMMENT 'Clicked element class list',
    el_selector      String                  COMMENT 'Stable CSS selector of the clicked element',
    el_text          String                  COMMENT 'Clicked element text, trimmed and bounded',
    el_href          String                  COMMENT 'Clicked link target',
    form_id          String                  COMMENT 'Form id attribute',
    form_name        String                  COMMENT 'Form name attribute',
    form_fields      Array(String)           COMMENT 'Form field names (never values)',
    cart_id          String                  COMMENT 'Cart id kept by the snippet from first add until purchase',
    order_id         String                  COMMENT 'Order id of a purchase',
    revenue          Decimal(18, 4)          COMMENT 'Order or cart value in currency units',
    currency         LowCardinality(String)  COMMENT 'ISO 4217 currency of revenue',
    items            Array(Tuple(id String, name String, price Decimal(18, 4), quantity UInt32, category String, variant String))
                                             COMMENT 'Cart or order lines',
    experiments      Map(LowCardinality(String), String) COMMENT 'Active experiment assignments, experiment key to variant',
    props            Map(String, String)     COMMENT 'Free properties (at most 50), values as text'
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site_id, toDate(ts), visitor_id, ts)
SETTINGS non_replicated_deduplication_window = 10000
COMMENT 'Accepted events, one row per event'
