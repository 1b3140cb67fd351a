-- unordered
-- params: {"p0":1209600000,"p1":1772323200000,"p2":1774137600000,"p3":"channel","p4":"visitor_id","p5":"pageview","p6":"/products/%","p7":"add_to_cart","p8":"signup","p9":"remove_from_cart","p10":604800000,"p11":2592000000,"p12":8388608}
SELECT unit, furthest, levels, from_entry, from_prev, in_progress, window_open, entry_ms, bd, skipped
FROM (SELECT *,
     toUInt8(skipped = 0 AND bitShiftRight(A0[-1], 24) + {p0:Int64} >= {p11:Int64}) AS window_open,
     toUInt8(window_open = 1 AND furthest < 3) AS in_progress,
     if(skipped = 1, 0, cts[1] + {p1:Int64}) AS entry_ms,
     if(cpos[2] = 0, '', (SELECT arraySort(groupUniqArray({p3:Identifier})) FROM {db:Identifier}.events_v1
      WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({p1:Int64}) AND ts < fromUnixTimestamp64Milli({p2:Int64}))[toUInt32(bitAnd(arrayFirst(x -> bitShiftRight(x, 20) = bitShiftRight(ks[cpos[2]], 20), ks), 1048575)) + 1]) AS bd
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
                 arrayMap((P0, P1, P2) -> if((P0 != 0 AND P2 != 0 AND notEmpty(xt0) AND arrayExists(t -> t > least(bitShiftRight(P0, 24), bitShiftRight(P2, 24)) AND t < greatest(bitShiftRight(P0, 24), bitShiftRight(P2, 24)), xt0)), 0, greatest(if(P0 != 0, 1, 0), if(P1 != 0 AND P0 != 0, 2, 0), if(P2 != 0 AND P0 != 0 AND P1 != 0, 3, 0))), A0, A1, A2) AS S
            FROM (SELECT *,
                   arrayMap(u -> u[2], U) AS A1,
                   arrayMap(u -> u[3], U) AS A2
              FROM (SELECT *,
                     arrayMap((d0, d1, d2) -> arraySort(v -> (v = 0, v), [d0, d1, d2]), D0, D1, D2) AS U
                FROM (SELECT *,
                       arrayFilter((h, e) -> e > skipped, C0, e0) AS D0,
                       arrayFilter((h, e) -> e > skipped, C1, e0) AS D1,
                       arrayFilter((h, e) -> e > skipped, C2, e0) AS D2
                  FROM (SELECT *,
                         arrayMap((c, v) -> if(c != 0 AND bitShiftRight(c, 24) - bitShiftRight(v, 24) <= {p0:Int64}, c, 0), arrayPopBack(arrayReverseFill((a, x) -> bitTest(x, 0), arrayPushBack(pk, 0), arrayPushBack(m, 15))), pk) AS C0,
                         arrayMap((c, v) -> if(c != 0 AND bitShiftRight(c, 24) - bitShiftRight(v, 24) <= {p0:Int64}, c, 0), arrayPopBack(arrayReverseFill((a, x) -> bitTest(x, 1), arrayPushBack(pk, 0), arrayPushBack(m, 15))), pk) AS C1,
                         arrayMap((c, v) -> if(c != 0 AND bitShiftRight(c, 24) - bitShiftRight(v, 24) <= {p0:Int64}, c, 0), arrayPopBack(arrayReverseFill((a, x) -> bitTest(x, 2), arrayPushBack(pk, 0), arrayPushBack(m, 15))), pk) AS C2
                    FROM (SELECT *,
                           arrayMap(v -> bitShiftRight(v, 24), arrayFilter((v, x) -> bitTest(x, 3), pk, m)) AS xt0
                      FROM (SELECT *,
                             arrayMap((v, x) -> toUInt8(bitAnd(x, 7) != 0 AND bitShiftRight(v, 24) < {p10:Int64}), pk, m) AS e0,
                             arraySum(e0) AS entries,
                             toUInt8(entries * length(m) > {p12:UInt64}) AS skipped,
                             arrayFilter((h, e) -> e > skipped, pk, e0) AS A0
                        FROM (SELECT *,
                               arrayMap(x -> toUInt32(bitAnd(bitShiftRight(x, 20), 15)), ks) AS m,
                               arrayMap((x, i) -> bitShiftLeft(toInt64(bitShiftRight(x, 26)), 24) + i, ks, arrayEnumerate(ks)) AS pk
                          FROM (
                                SELECT unit, arraySort(groupArray(key)) AS ks
                                FROM (
                                SELECT
                                  {p4:Identifier} AS unit,
                                  toUInt64(if(((type = {p5:String}) AND (like(path, {p6:String}))), 1, 0) + if(((type = {p7:String})), 2, 0) + if(((name = {p8:String})), 4, 0) + if(((type = {p9:String})), 8, 0)) AS mask,
                                  bitAnd(mask, 7) AS sm,
                                  bitShiftLeft(toUInt64(toUnixTimestamp64Milli(ts) - {p1:Int64}), 26)
                                    + bitShiftLeft(toUInt64(if(sm = 0, 3, bitCount(bitXor(sm, sm - 1)) - 1)), 24)
                                    + bitShiftLeft(toUInt64(mask), 20)
                                    + toUInt64(transform({p3:Identifier}, (SELECT arraySort(groupUniqArray({p3:Identifier})) FROM {db:Identifier}.events_v1
                                  WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({p1:Int64}) AND ts < fromUnixTimestamp64Milli({p2:Int64})), range(toUInt64(length((SELECT arraySort(groupUniqArray({p3:Identifier})) FROM {db:Identifier}.events_v1
                                  WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({p1:Int64}) AND ts < fromUnixTimestamp64Milli({p2:Int64}))))), 0)) AS key
                                FROM {db:Identifier}.events_v1
                                WHERE site_id = {site:String}
                                  AND ts >= fromUnixTimestamp64Milli({p1:Int64})
                                  AND ts < fromUnixTimestamp64Milli({p2:Int64})
                                  AND unit != ''
                                  AND mask != 0
                                  AND throwIf(length((SELECT arraySort(groupUniqArray({p3:Identifier})) FROM {db:Identifier}.events_v1
                                  WHERE site_id = {site:String} AND ts >= fromUnixTimestamp64Milli({p1:Int64}) AND ts < fromUnixTimestamp64Milli({p2:Int64}))) > 1048576, 'too many distinct breakdown values') = 0)
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
    )
  )
))
WHERE furthest > 0 OR skipped = 1
