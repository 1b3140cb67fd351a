-- optional-exclusion-session
-- params: {"p0":3600000,"p1":1772323200000,"p2":1772931600000,"p3":"session_id","p4":"pageview","p5":"/products/%","p6":"view_cart","p7":"begin_checkout","p8":"custom","p9":"checkout","p10":"purchase","p11":"revenue","p12":10,"p13":"remove_from_cart","p14":604800000,"p15":2592000000,"p16":8388608}
SELECT unit, furthest, levels, from_entry, from_prev, in_progress, window_open, entry_ms, bd, skipped
FROM (SELECT *,
     toUInt8(skipped = 0 AND bitShiftRight(A0[-1], 24) + {p0:Int64} >= {p15:Int64}) AS window_open,
     toUInt8(window_open = 1 AND furthest < 4) AS in_progress,
     if(skipped = 1, 0, cts[1] + {p1:Int64}) AS entry_ms,
     '' AS bd
FROM (SELECT *,
       arrayCumSum(from_prev) AS from_entry
  FROM (SELECT *,
         arrayFilter((k, c) -> c != 0 OR k = 0, range((1 - skipped), furthest + 1), arraySlice(cpos, 1, furthest + skipped)) AS levels,
         arrayDifference(arrayFilter((t, c) -> c != 0 OR skipped = 1, arraySlice(cts, 1, furthest + skipped), arraySlice(cpos, 1, furthest + skipped))) AS from_prev
    FROM (SELECT *,
           [bitShiftRight(A0[ci], 24), bitShiftRight(A1[ci], 24), bitShiftRight(A2[ci], 24), bitShiftRight(A3[ci], 24)] AS cts
      FROM (SELECT *,
             [bitAnd(A0[ci], 16777215), bitAnd(A1[ci], 16777215), bitAnd(A2[ci], 16777215), bitAnd(A3[ci], 16777215)] AS cpos
        FROM (SELECT *,
               arrayMax(S) AS furthest, indexOf(S, furthest) AS ci
          FROM (SELECT *,
                 arrayMap((P0, P1, P2, P3) -> if((P1 != 0 AND P3 != 0 AND notEmpty(xt0) AND arrayExists(t -> t > least(bitShiftRight(P1, 24), bitShiftRight(P3, 24)) AND t < greatest(bitShiftRight(P1, 24), bitShiftRight(P3, 24)), xt0)), 0, greatest(if(P0 != 0, 1, 0), if(P1 != 0 AND P0 != 0, 2, 0), if(P2 != 0 AND P0 != 0, 3, 0), if(P3 != 0 AND P0 != 0 AND P2 != 0, 4, 0))), A0, A1, A2, A3) AS S
            FROM (SELECT *,
                   arrayMap((a, d) -> if(a < d, a, 0), arrayFilter((h, e) -> e > skipped, H1_0, e0), DL) AS A1,
                   arrayMap((a, d) -> if(a < d, a, 0), arrayFilter((h, e) -> e > skipped, H2_0, e0), DL) AS A2,
                   arrayMap((a, d) -> if(a < d, a, 0), arrayFilter((h, e) -> e > skipped, H3_0, e0), DL) AS A3
              FROM (SELECT *,
                     arrayMap((c1, c2) -> multiIf(c1 != 0 AND (c2 = 0 OR c1 <= c2), c1, 0), C1, C2) AS H1_0,
                     arrayMap((c1, c2, l1) -> multiIf(c1 != 0 AND (c2 = 0 OR c1 <= c2), l1, c2 != 0 AND (c1 = 0 OR c2 < c1), c2, 0), C1, C2, L2_1) AS H2_0,
                     arrayMap((c1, c2, l1, l2) -> multiIf(c1 != 0 AND (c2 = 0 OR c1 <= c2), l1, c2 != 0 AND (c1 = 0 OR c2 < c1), l2, 0), C1, C2, L3_1, L3_2) AS H3_0
                FROM (SELECT *,
                       arrayReverseFill((a, x) -> bitTest(x, 1), arrayShiftLeft(H2_1, 1), m1) AS L2_1,
                       arrayReverseFill((a, x) -> bitTest(x, 1), arrayShiftLeft(H3_1, 1), m1) AS L3_1
                  FROM (SELECT *,
                         arrayMap((c2) -> multiIf(c2 != 0, c2, 0), C2) AS H2_1,
                         arrayMap((c2, l2) -> multiIf(c2 != 0, l2, 0), C2, L3_2) AS H3_1
                    FROM (SELECT *,
                           arrayReverseFill((a, x) -> bitTest(x, 2), arrayShiftLeft(H3_2, 1), m1) AS L3_2
                      FROM (SELECT *,
                             arrayMap((c3) -> multiIf(c3 != 0, c3, 0), C3) AS H3_2
                        FROM (SELECT *,
                               arrayReverseFill((a, x) -> bitTest(x, 1), pk1, m1) AS C1,
                               arrayReverseFill((a, x) -> bitTest(x, 2), pk1, m1) AS C2,
                               arrayReverseFill((a, x) -> bitTest(x, 3), pk1, m1) AS C3
                          FROM (SELECT *,
                                 arrayShiftLeft(pk, 1) AS pk1, arrayShiftLeft(m, 1, 31) AS m1,
                                 arrayMap(e -> bitShiftLeft(bitShiftRight(e, 24) + {p0:Int64} + 1, 24), A0) AS DL
                            FROM (SELECT *,
                                   arrayMap(v -> bitShiftRight(v, 24), arrayFilter((v, x) -> bitTest(x, 4), pk, m)) AS xt0
                              FROM (SELECT *,
                                     arrayMap((v, x) -> toUInt8(bitTest(x, 0) AND bitShiftRight(v, 24) < {p14:Int64}), pk, m) AS e0,
                                     arraySum(e0) AS entries,
                                     toUInt8(entries * length(m) > {p16:UInt64}) AS skipped,
                                     arrayFilter((h, e) -> e > skipped, pk, e0) AS A0
                                FROM (SELECT *,
                                       arrayMap(x -> toUInt32(bitAnd(bitShiftRight(x, 0), 31)), ks) AS m,
                                       arrayMap((x, i) -> bitShiftLeft(toInt64(bitShiftRight(x, 8)), 24) + i, ks, arrayEnumerate(ks)) AS pk
                                  FROM (
                                        SELECT unit, arraySort(groupArray(key)) AS ks
                                        FROM (
                                        SELECT
                                          {p3:Identifier} AS unit,
                                          toUInt64(if(((type = {p4:String}) AND (like(path, {p5:String}))), 1, 0) + if(((type = {p6:String})), 2, 0) + if(((type = {p7:String})) OR ((type = {p8:String}) AND (name = {p9:String})), 4, 0) + if(((type = {p10:String}) AND (toFloat64(revenue) > {p12:Float64})), 8, 0) + if(((type = {p13:String})), 16, 0)) AS mask,
                                          bitAnd(mask, 15) AS sm,
                                          bitShiftLeft(toUInt64(toUnixTimestamp64Milli(ts) - {p1:Int64}), 8)
                                            + bitShiftLeft(toUInt64(if(sm = 0, 7, bitCount(bitXor(sm, sm - 1)) - 1)), 5)
                                            + bitShiftLeft(toUInt64(mask), 0) AS key
                                        FROM {db:Identifier}.events_v1
                                        WHERE site_id = {site:String}
                                          AND ts >= fromUnixTimestamp64Milli({p1:Int64})
                                          AND ts < fromUnixTimestamp64Milli({p2:Int64})
                                          AND unit != ''
                                          AND mask != 0)
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
        )
      )
    )
  )
))
WHERE furthest > 0 OR skipped = 1
