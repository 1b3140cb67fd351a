
SELECT
  grouping(kind, value) != 0 AS overall, kind, value, level,
  sum(reached) AS reached, sum(open) AS open, sum(young) AS young,
  quantilesExactInclusiveIfMerge(0.5, 0.9)(te_s) AS te_q,
  quantilesExactInclusiveIfMerge(0.5, 0.9)(tp_s) AS tp_q,
  sumMap(hist) AS hist
FROM (
  SELECT *,
    if(bd = '', 2, if(rk <= {p14:UInt32}, 0, 1)) AS kind,
    if(kind = 0, bd, '') AS value
  FROM (
    SELECT *, dense_rank() OVER (ORDER BY bd = '', entered DESC, bd) AS rk
    FROM (
      SELECT *, sum(if(level = 1, reached, 0)) OVER (PARTITION BY bd) AS entered
      FROM (
        SELECT
          bd, level,
          count() AS reached,
  sum(in_progress) AS open,
  sum(window_open) AS young,
  quantilesExactInclusiveIfState(0.5, 0.9)(te, incl) AS te_s,
  quantilesExactInclusiveIfState(0.5, 0.9)(tp, incl AND level > 1) AS tp_s,
  sumMapIf([hb], [toUInt64(1)], hb > 0) AS hist
        FROM (
          SELECT bd, level, te, tp, in_progress, window_open, ({p15:UInt8} = 0 OR window_open = 0) AS incl,
            if(level = 3 AND incl, arrayCount(x -> x <= te, {p16:Array(Int64)}), 0) AS hb
          FROM (
SELECT * FROM cluster(`events`, view(
SELECT unit, furthest, levels, from_entry, from_prev, in_progress, window_open, entry_ms, bd, skipped
FROM (SELECT *,
     toUInt8(skipped = 0 AND bitShiftRight(A0[-1], 24) + {p0:Int64} >= {p12:Int64}) AS window_open,
     toUInt8(window_open = 1 AND furthest < 3) AS in_progress,
     if(skipped = 1, 0, cts[1] + {p4:Int64}) AS entry_ms,
     arrayLast(v -> 1, arrayFilter(v -> v != '', arrayMap(c -> (SELECT arraySort(groupUniqArray(props[{p6:String}])) FROM {db:Identifier}.events_v1_local
      WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({p4:Int64}) AND ts < fromUnixTimestamp64Milli({p5:Int64}))[toUInt32(bitAnd(arrayFirst(x -> bitShiftRight(x, 20) = bitShiftRight(ks[c], 20), ks), 1048575)) + 1], arraySort(arrayFilter(c -> c != 0, arraySlice(cpos, 1, furthest)))))) AS bd
FROM (SELECT *,
       arrayCumSum(from_prev) AS from_entry
  FROM (SELECT *,
         range((1 - skipped), furthest + 1) AS levels,
         arrayDifference(arraySlice(cts, 1, furthest + skipped)) AS from_prev
    FROM (SELECT *,
           [bitShiftRight(A0[ci], 24), bitShiftRight(A1[ci], 24), bitShiftRight(A2[ci], 24)] AS cts
      FROM (SELECT *,
             [bitAnd(A0[ci], 16777215), bitAnd(A1[ci], 16777215), bitAnd(A2[ci], 16777215)] AS cpos
        FROM (SELECT *,
               arrayMax(S) AS furthest, indexOf(S, furthest) AS ci
          FROM (SELECT *,
                 arrayMap((P0, P1, P2) -> toUInt8(1 + (P1 != 0) + (P2 != 0)), A0, A1, A2) AS S
            FROM (SELECT *,
                   arrayMap((a, d) -> if(a < d, a, 0), arrayFilter((h, e) -> e > skipped, C1, e0), DL) AS A1,
                   arrayMap((a, d) -> if(a < d, a, 0), arrayFilter((h, e) -> e > skipped, arrayMap((c, l) -> if(c != 0, l, 0), C1, arrayMap((a, x) -> if(bitTest(x, 1), a, 0), arrayShiftLeft(C2, 1), m1)), e0), DL) AS A2
              FROM (SELECT *,
                     arrayMap((c, v) -> if(c != 0 AND bitShiftRight(c, 24) - bitShiftRight(v, 24) >= {p1:Int64} AND bitShiftRight(c, 24) - bitShiftRight(v, 24) <= {p2:Int64}, c, 0), arrayMap((a, x) -> if(bitTest(x, 1), a, 0), pk1, m1), pk) AS C1,
                     arrayMap((c, v) -> if(c != 0 AND bitShiftRight(c, 24) - bitShiftRight(v, 24) <= {p3:Int64}, c, 0), arrayMap((a, x) -> if(bitTest(x, 2), a, 0), pk1, m1), pk) AS C2
                FROM (SELECT *,
                       arrayShiftLeft(pk, 1) AS pk1, arrayShiftLeft(m, 1, 7) AS m1,
                       arrayMap(e -> bitShiftLeft(bitShiftRight(e, 24) + {p0:Int64} + 1, 24), A0) AS DL
                  FROM (SELECT *,
                         arrayMap((v, x) -> toUInt8(bitTest(x, 0) AND bitShiftRight(v, 24) < {p11:Int64}), pk, m) AS e0,
                         arraySum(e0) AS entries,
                         toUInt8(entries * length(m) > {p13:UInt64}) AS skipped,
                         arrayFilter((h, e) -> e > skipped, pk, e0) AS A0
                    FROM (SELECT *,
                           arrayMap(x -> toUInt32(bitAnd(bitShiftRight(x, 20), 7)), ks) AS m,
                           arrayMap((x, i) -> bitShiftLeft(toInt64(bitShiftRight(x, 25)), 24) + i, ks, arrayEnumerate(ks)) AS pk
                      FROM (
                            SELECT unit, arraySort(groupArray(key)) AS ks
                            FROM (
                            SELECT
                              {p7:Identifier} AS unit,
                              toUInt64(if(((type = {p8:String})), 1, 0) + if(((position(el_text, {p9:String}) > 0)), 2, 0) + if(((type = {p10:String})), 4, 0)) AS mask,
                              bitAnd(mask, 7) AS sm,
                              bitShiftLeft(toUInt64(toUnixTimestamp64Milli(ts) - {p4:Int64}), 25)
                                + bitShiftLeft(toUInt64(if(sm = 0, 3, bitCount(bitXor(sm, sm - 1)) - 1)), 23)
                                + bitShiftLeft(toUInt64(mask), 20)
                                + toUInt64(transform(props[{p6:String}], (SELECT arraySort(groupUniqArray(props[{p6:String}])) FROM {db:Identifier}.events_v1_local
                              WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({p4:Int64}) AND ts < fromUnixTimestamp64Milli({p5:Int64})), range(toUInt64(length((SELECT arraySort(groupUniqArray(props[{p6:String}])) FROM {db:Identifier}.events_v1_local
                              WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({p4:Int64}) AND ts < fromUnixTimestamp64Milli({p5:Int64}))))), 0)) AS key
                            FROM {db:Identifier}.events_v1_local
                            WHERE site_id = {site:String}
                              AND ts >= fromUnixTimestamp64Milli({p4:Int64})
                              AND ts < fromUnixTimestamp64Milli({p5:Int64})
                              AND unit != ''
                              AND throwIf(length((SELECT arraySort(groupUniqArray(props[{p6:String}])) FROM {db:Identifier}.events_v1_local
                              WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({p4:Int64}) AND ts < fromUnixTimestamp64Milli({p5:Int64}))) > 1048576, 'too many distinct breakdown values') = 0)
                            GROUP BY unit
                      )
                    )
                    WHERE entries > 0
                  )
                )
              )
            )
          )
        )
      )
    )
  )
))
WHERE furthest > 0 OR skipped = 1
)))
          ARRAY JOIN levels AS level, from_entry AS te, from_prev AS tp)
        GROUP BY bd, level
      )
    )
  )
)
GROUP BY GROUPING SETS ((kind, value, level), (level))
ORDER BY overall DESC, kind, value, level
SETTINGS short_circuit_function_evaluation = 'disable'