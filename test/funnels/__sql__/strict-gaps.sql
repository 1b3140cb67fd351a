-- strict-gaps
-- params: {"p0":1209600000,"p1":5000,"p2":600000,"p3":1772323200000,"p4":1774137600000,"p5":"visitor_id","p6":"pageview","p7":"/products/%","p8":"add_to_cart","p9":"purchase","p10":604800000,"p11":2592000000,"p12":8388608}
SELECT unit, furthest, levels, from_entry, from_prev, in_progress, window_open, entry_ms, bd, skipped
FROM (SELECT *,
     toUInt8(skipped = 0 AND bitShiftRight(A0[-1], 24) + {p0:Int64} >= {p11:Int64}) AS window_open,
     toUInt8(window_open = 1 AND furthest < 3) AS in_progress,
     if(skipped = 1, 0, cts[1] + {p3:Int64}) AS entry_ms,
     '' AS bd
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
                     arrayMap((a, x) -> if(bitTest(x, 2), a, 0), pk1, m1) AS C2
                FROM (SELECT *,
                       arrayShiftLeft(pk, 1) AS pk1, arrayShiftLeft(m, 1, 7) AS m1,
                       arrayMap(e -> bitShiftLeft(bitShiftRight(e, 24) + {p0:Int64} + 1, 24), A0) AS DL
                  FROM (SELECT *,
                         arrayMap((v, x) -> toUInt8(bitTest(x, 0) AND bitShiftRight(v, 24) < {p10:Int64}), pk, m) AS e0,
                         arraySum(e0) AS entries,
                         toUInt8(entries * length(m) > {p12:UInt64}) AS skipped,
                         arrayFilter((h, e) -> e > skipped, pk, e0) AS A0
                    FROM (SELECT *,
                           arrayMap(x -> toUInt32(bitAnd(bitShiftRight(x, 0), 7)), ks) AS m,
                           arrayMap((x, i) -> bitShiftLeft(toInt64(bitShiftRight(x, 5)), 24) + i, ks, arrayEnumerate(ks)) AS pk
                      FROM (
                            SELECT unit, arraySort(groupArray(key)) AS ks
                            FROM (
                            SELECT
                              {p5:Identifier} AS unit,
                              toUInt64(if(((type = {p6:String}) AND (like(path, {p7:String}))), 1, 0) + if(((type = {p8:String})), 2, 0) + if(((type = {p9:String})), 4, 0)) AS mask,
                              bitAnd(mask, 7) AS sm,
                              bitShiftLeft(toUInt64(toUnixTimestamp64Milli(ts) - {p3:Int64}), 5)
                                + bitShiftLeft(toUInt64(if(sm = 0, 3, bitCount(bitXor(sm, sm - 1)) - 1)), 3)
                                + bitShiftLeft(toUInt64(mask), 0) AS key
                            FROM {db:Identifier}.events_v1
                            WHERE site_id = {site:String}
                              AND ts >= fromUnixTimestamp64Milli({p3:Int64})
                              AND ts < fromUnixTimestamp64Milli({p4:Int64})
                              AND unit != '')
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
