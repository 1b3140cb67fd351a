
SELECT multiple, variant, sum(shard.units) AS units
FROM cluster(`events`, view(
SELECT variants > 1 AS multiple, if(multiple, '', variant) AS variant, count() AS units
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
GROUP BY visitor_id)
GROUP BY multiple, variant
ORDER BY multiple, variant
)) AS shard
GROUP BY multiple, variant
ORDER BY multiple, variant