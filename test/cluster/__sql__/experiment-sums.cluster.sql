SELECT multiple, variant, segment, n, first_ms, last_ms, sum_y, sum_y_sq, sum_z, sum_z_sq, sum_yz, cap_at, reached,
  currencies, other_variants, other_units
FROM
(
  SELECT *,
    uniqExactIf(variant, is_undefined AND undefined_rank > {p8:UInt32}) OVER () AS other_variants,
    sumIf(n, is_undefined AND undefined_rank > {p8:UInt32}) OVER () AS other_units
  FROM
  (
    SELECT *, dense_rank() OVER (PARTITION BY is_undefined ORDER BY variant_units DESC, variant) AS undefined_rank
    FROM
    (
      SELECT *, toUInt8(0) AS is_undefined, sum(n) OVER (PARTITION BY multiple, variant) AS variant_units
      FROM (SELECT * FROM cluster(`events`, view(
SELECT multiple, variant, segment, count() AS n, min(entered_ms) AS first_ms, max(entered_ms) AS last_ms,
  [sum(yc0), sum(yc1), sum(yc2), sum(yc3), sum(yc4), sum(yc5)] AS sum_y,
  [sum(yc0 * yc0), sum(yc1 * yc1), sum(yc2 * yc2), sum(yc3 * yc3), sum(yc4 * yc4), sum(yc5 * yc5)] AS sum_y_sq,
  [sum(zc0), sum(zc1), sum(zc2), sum(zc3), sum(zc4), sum(zc5)] AS sum_z,
  [sum(zc0 * zc0), sum(zc1 * zc1), sum(zc2 * zc2), sum(zc3 * zc3), sum(zc4 * zc4), sum(zc5 * zc5)] AS sum_z_sq,
  [sum(yc0 * zc0), sum(yc1 * zc1), sum(yc2 * zc2), sum(yc3 * zc3), sum(yc4 * zc4), sum(yc5 * zc5)] AS sum_yz,
  [max(cap0), max(cap1), max(cap2), max(cap3), max(cap4), max(cap5)] AS cap_at,
  CAST([[], [], [], [], [], sumForEach(r5)], 'Array(Array(UInt64))') AS reached,
  CAST([map(), sumMap(k1, arrayMap((x) -> toUInt64(1), k1)), map(), sumMap(k3, arrayMap((x) -> toUInt64(1), k3)), map(), map()], 'Array(Map(String, UInt64))') AS currencies
FROM
(
  SELECT multiple, variant, segment, entered_ms,
      if(cap0 > 0, least(y0, cap0), y0) AS yc0, z0 AS zc0, cap0, r0, k0,
      if(cap1 > 0, least(y1, cap1), y1) AS yc1, if(cap1 > 0, least(z1, cap1), z1) AS zc1, cap1, r1, k1,
      if(cap2 > 0, least(y2, cap2), y2) AS yc2, if(cap2 > 0, least(z2, cap2), z2) AS zc2, cap2, r2, k2,
      if(cap3 > 0, least(y3, cap3), y3) AS yc3, z3 AS zc3, cap3, r3, k3,
      if(cap4 > 0, least(y4, cap4), y4) AS yc4, if(cap4 > 0, least(z4, cap4), z4) AS zc4, cap4, r4, k4,
      if(cap5 > 0, least(y5, cap5), y5) AS yc5, z5 AS zc5, cap5, r5, k5
  FROM
  (
    SELECT multiple, variant, segment, entered_ms,
      y0, z0, r0, k0, 0 AS cap0,
      y1, z1, r1, k1, 0 AS cap1,
      y2, z2, r2, k2, 0 AS cap2,
      y3, z3, r3, k3, 0 AS cap3,
      y4, z4, r4, k4, 0 AS cap4,
      y5, z5, r5, k5, 0 AS cap5
    FROM
    (
      SELECT toUInt8(variants > 1) AS multiple, if(multiple = 1, '', variant) AS variant, segment, entered_ms,
      toFloat64(toFloat64(arrayExists((t) -> t >= entered_ms AND t <= entered_ms + {p1:Int64}, t0))) AS y0, toFloat64(toFloat64(arrayExists((t) -> t >= entered_ms - {pre_ms:Int64} AND t < entered_ms, t0))) AS z0, [] AS r0, [] AS k0,
      toFloat64(arraySum((f) -> if(f.1 >= entered_ms, f.2, 0), orders)) AS y1, toFloat64(arraySum((f) -> if(f.1 >= entered_ms - {pre_ms:Int64} AND f.1 < entered_ms, f.2, 0), orders)) AS z1, [] AS r1, arrayMap((f) -> f.3, arrayFilter((f) -> f.1 >= entered_ms, orders)) AS k1,
      toFloat64(toFloat64(arrayCount((f) -> f.1 >= entered_ms, orders))) AS y2, toFloat64(toFloat64(arrayCount((f) -> f.1 >= entered_ms - {pre_ms:Int64} AND f.1 < entered_ms, orders))) AS z2, [] AS r2, [] AS k2,
      toFloat64(arraySum((f) -> if(f.1 >= entered_ms, f.2, 0), orders)) AS y3, toFloat64(toFloat64(arrayCount((f) -> f.1 >= entered_ms, orders))) AS z3, [] AS r3, arrayMap((f) -> f.3, arrayFilter((f) -> f.1 >= entered_ms, orders)) AS k3,
      toFloat64(toFloat64(arraySum((x) -> x.2, arrayFilter((x) -> x.1 >= entered_ms AND x.1 <= entered_ms + {p4:Int64}, p4)))) AS y4, toFloat64(toFloat64(arraySum((x) -> x.2, arrayFilter((x) -> x.1 >= entered_ms - {pre_ms:Int64} AND x.1 < entered_ms, p4)))) AS z4, [] AS r4, [] AS k4,
      toFloat64(toFloat64(arraySum([toUInt64((arrayFirst((t) -> t >= entered_ms AND t <= entered_ms + {p5:Int64}, t5_0)) > 0), toUInt64((if((arrayFirst((t) -> t >= entered_ms AND t <= entered_ms + {p5:Int64}, t5_0)) = 0, 0, arrayFirst((t) -> t > (arrayFirst((t) -> t >= entered_ms AND t <= entered_ms + {p5:Int64}, t5_0)) AND t <= entered_ms + {p5:Int64}, t5_1))) > 0)]))) AS y5, toFloat64(0) AS z5, [toUInt64((arrayFirst((t) -> t >= entered_ms AND t <= entered_ms + {p5:Int64}, t5_0)) > 0), toUInt64((if((arrayFirst((t) -> t >= entered_ms AND t <= entered_ms + {p5:Int64}, t5_0)) = 0, 0, arrayFirst((t) -> t > (arrayFirst((t) -> t >= entered_ms AND t <= entered_ms + {p5:Int64}, t5_0)) AND t <= entered_ms + {p5:Int64}, t5_1))) > 0)] AS r5, [] AS k5
      FROM (
SELECT unit, entered_ms, variant, variants, first_seg AS segment, t0, raw_orders, p4, t5_0, t5_1,
  if(length(raw_orders) = length(arrayDistinct(arrayMap((o) -> o.1, raw_orders))),
    arrayMap((o) -> (o.2, o.3, o.5), raw_orders),
    arrayMap((id) -> (
      arrayMin(arrayMap((o) -> o.2, arrayFilter((o) -> o.1 = id, raw_orders))),
      arraySort((o) -> (o.4, o.3, o.5), arrayFilter((o) -> o.1 = id, raw_orders))[1].3,
      arraySort((o) -> (o.4, o.3, o.5), arrayFilter((o) -> o.1 = id, raw_orders))[1].5
    ), arrayDistinct(arrayMap((o) -> o.1, raw_orders)))) AS orders
FROM
(
  SELECT unit, minIf(ms, is_exp) AS entered_ms, minIf(v, is_exp) AS variant, if(variant = maxIf(v, is_exp), 1, 2) AS variants,
    '' AS first_seg,
    groupArrayIf(ms, c0) AS t0,
    groupArrayIf((order.1, ms, order.2, order.3, order.4), is_order) AS raw_orders,
    groupArrayIf((ms, v4), c4) AS p4,
    arraySort(groupArrayIf(ms, c5_0)) AS t5_0,
    arraySort(groupArrayIf(ms, c5_1)) AS t5_1
  FROM (SELECT visitor_id AS unit, * FROM (
    SELECT visitor_id, toUnixTimestamp64Milli(ts) AS ms,
      (type = 'exposure'
        AND name = {key:String}
        AND ts >= fromUnixTimestamp64Milli({exposed_from_ms:Int64})
        AND ts < fromUnixTimestamp64Milli({exposed_to_ms:Int64})) AS is_exp,
      if(is_exp, experiments[{key:String}], '') AS v,
      '' AS seg,
      ((type = {p0:String})) AS c0,
      (type = 'purchase' AND order_id != '') AS is_order,
      (match(props[{p2:String}], '^-?[0-9]+(\\.[0-9]+)?$') AND abs(toFloat64OrZero(props[{p2:String}])) <= {p3:Float64}) AS c4,
      (((type = {p6:String}))) AS c5_0,
      (((type = {p7:String}))) AS c5_1,
      (order_id, toFloat64(revenue), toInt64(source = 'browser') * 10000000000000 + toUnixTimestamp64Milli(received_at), toString(currency)) AS order,
      toFloat64OrZero(props[{p2:String}]) AS v4
    FROM {db:Identifier}.events_v1_local
    WHERE site_id = {site:String}
      AND ts >= fromUnixTimestamp64Milli({read_from_ms:Int64})
      AND ts < fromUnixTimestamp64Milli({to_ms:Int64})
      AND visitor_id != ''
      AND (is_exp OR c0 OR is_order OR c4 OR c5_0 OR c5_1)))
  GROUP BY unit
  HAVING countIf(is_exp) > 0
))
    )
  )
)
GROUP BY multiple, variant, segment
)))
    )
  )
)
WHERE NOT is_undefined OR undefined_rank <= {p8:UInt32}
ORDER BY multiple, variant, segment