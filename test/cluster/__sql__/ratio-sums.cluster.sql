
SELECT variant, sum(shard.n) AS n, sum(shard.sum_x) AS sum_x, sum(shard.sum_y) AS sum_y, sum(shard.sum_x_sq) AS sum_x_sq, sum(shard.sum_y_sq) AS sum_y_sq, sum(shard.sum_xy) AS sum_xy
FROM cluster(`events`, view(
SELECT variant, count() AS n,
  sum(x) AS sum_x, sum(y) AS sum_y, sum(x * x) AS sum_x_sq, sum(y * y) AS sum_y_sq, sum(x * y) AS sum_xy
FROM
(
  SELECT variant, if({capped:UInt8} = 1, least(revenue, {cap:Float64}), revenue) AS x, orders AS y
  FROM (
SELECT
  x.visitor_id AS visitor_id,
  x.variant AS variant,
  sumIf(o.order_revenue, o.order_ms >= x.entered_ms) AS revenue,
  toFloat64(countIf(o.order_ms >= x.entered_ms)) AS orders
FROM (
SELECT
  visitor_id,
  toUnixTimestamp64Milli(min(ts)) AS entered_ms,
  any(experiments[{key:String}]) AS variant,
  uniqExact(experiments[{key:String}]) AS variants
FROM {db:Identifier}.events_v1_local
WHERE site_id = {site:String}
  AND ts >= fromUnixTimestamp64Milli({from_ms:Int64})
  AND ts < fromUnixTimestamp64Milli({to_ms:Int64})
  AND type = 'exposure'
  AND name = {key:String}
  AND visitor_id != ''
  AND ts >= fromUnixTimestamp64Milli({exposed_from_ms:Int64})
  AND ts < fromUnixTimestamp64Milli({exposed_to_ms:Int64})
GROUP BY visitor_id) AS x
LEFT JOIN (
SELECT
  visitor_id,
  order_id,
  toUnixTimestamp64Milli(min(ts)) AS order_ms,
  toFloat64(argMin(revenue, (source = 'browser', received_at, event_id))) AS order_revenue
FROM {db:Identifier}.events_v1_local
WHERE site_id = {site:String}
  AND ts >= fromUnixTimestamp64Milli({from_ms:Int64})
  AND ts < fromUnixTimestamp64Milli({to_ms:Int64})
  AND type = 'purchase'
  AND order_id != ''
  AND visitor_id IN (SELECT visitor_id FROM (
SELECT
  visitor_id,
  toUnixTimestamp64Milli(min(ts)) AS entered_ms,
  any(experiments[{key:String}]) AS variant,
  uniqExact(experiments[{key:String}]) AS variants
FROM {db:Identifier}.events_v1_local
WHERE site_id = {site:String}
  AND ts >= fromUnixTimestamp64Milli({from_ms:Int64})
  AND ts < fromUnixTimestamp64Milli({to_ms:Int64})
  AND type = 'exposure'
  AND name = {key:String}
  AND visitor_id != ''
  AND ts >= fromUnixTimestamp64Milli({exposed_from_ms:Int64})
  AND ts < fromUnixTimestamp64Milli({exposed_to_ms:Int64})
GROUP BY visitor_id) WHERE variants = 1)
GROUP BY visitor_id, order_id) AS o ON o.visitor_id = x.visitor_id
WHERE x.variants = 1
GROUP BY x.visitor_id, x.variant)
)
GROUP BY variant
ORDER BY variant
)) AS shard
GROUP BY variant
ORDER BY variant