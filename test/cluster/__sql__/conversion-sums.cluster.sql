
SELECT variant, sum(shard.n) AS n, sum(shard.conversions) AS conversions
FROM cluster(`events`, view(
SELECT variant, count() AS n, countIf(converted) AS conversions
FROM
(
  SELECT
    x.visitor_id AS visitor_id,
    x.variant AS variant,
    arrayExists((t) -> t >= x.entered_ms AND t <= x.entered_ms + {window_ms:Int64}, e.times) AS converted
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
  LEFT JOIN
  (
    SELECT visitor_id, groupArray(toUnixTimestamp64Milli(ts)) AS times
    FROM {db:Identifier}.events_v1_local
    WHERE site_id = {site:String}
  AND ts >= fromUnixTimestamp64Milli({from_ms:Int64})
  AND ts < fromUnixTimestamp64Milli({to_ms:Int64}) AND ((type = {p0:String})) AND visitor_id IN (SELECT visitor_id FROM (
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
    GROUP BY visitor_id
  ) AS e ON e.visitor_id = x.visitor_id
  WHERE x.variants = 1
)
GROUP BY variant
ORDER BY variant
)) AS shard
GROUP BY variant
ORDER BY variant