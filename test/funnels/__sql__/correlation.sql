-- correlation
-- params: {"p0":1,"p1":3,"p2":1209600000,"p3":1209600000,"p4":1772323200000,"p5":1774137600000,"p6":"visitor_id","p7":"pageview","p8":"/products/%","p9":"add_to_cart","p10":"purchase","p11":604800000,"p12":2592000000,"p13":8388608,"p14":1772323200000,"p15":1774137600000,"p16":"channel","p17":"channel","p18":"landing_path","p19":"experiments.cta-color","p20":"cta-color","p21":"props.plan","p22":"plan","p23":["add_to_cart","purchase"],"p24":[],"p25":"pageview","p26":"/products/%","p27":"add_to_cart","p28":"purchase","p29":["plan"],"p30":"visitor_id","p31":["props.plan"],"p32":20,"p33":501}
SELECT kind, property, bucket, v AS value, did, did_converted, toUInt64(count() OVER ()) - 1 AS found
FROM (
  SELECT kind, property, bucket, if(bucket = 'other', '', value) AS v,
    if(bucket = 'other' AND has({p31:Array(String)}, property), uniqExactIfMerge(su), sum(n)) AS did,
    if(bucket = 'other' AND has({p31:Array(String)}, property), uniqExactIfMerge(sc), sum(nc)) AS did_converted
  FROM (
    SELECT kind, property, value, n, nc, su, sc,
      multiIf(kind != 'property', '', value = '', 'empty',
        row_number() OVER (PARTITION BY kind, property, value = '' ORDER BY n DESC, value) > {p32:UInt32}, 'other', 'value') AS bucket
    FROM (
      SELECT c.1 AS kind, c.2 AS property, c.3 AS value,
        count() AS n, countIf(conv = 1) AS nc,
        uniqExactIfState(unit, kind = 'property' AND has({p31:Array(String)}, property)) AS su,
        uniqExactIfState(unit, kind = 'property' AND has({p31:Array(String)}, property) AND conv = 1) AS sc
      FROM (
        SELECT unit, any(conv) AS conv,
          arrayConcat(arrayMap(x -> tuple('event_type', '', toString(x)), groupUniqArrayIf(type, counts AND NOT has({p23:Array(String)}, type))),
            arrayMap(x -> tuple('event_name', '', x), groupUniqArrayIf(name, counts AND type = 'custom' AND name != '' AND NOT has({p24:Array(String)}, name))),
            arrayMap(x -> tuple('property', concat('props.', x.1), x.2), groupUniqArrayArrayIf(arrayZip(mapKeys(ev), mapValues(ev)), counts))) AS did,
          arrayConcat([tuple('units', '', '')], did,
            [tuple('property', {p16:String}, minIf(toString(pv0), t = t_from AND at_step))],
            [tuple('property', {p18:String}, minIf(toString(pv1), t = entry_ms AND at_step))],
            [tuple('property', {p19:String}, minIf(toString(pv2), t = t_from AND at_step))],
            if(arrayExists(c -> c.1 = 'property' AND c.2 = {p21:String}, did), [], [tuple('property', {p21:String}, '')])) AS all_cands
        FROM (
          SELECT unit, conv, t_from, entry_ms, t, at_step, type, name, ev, pv0, pv1, pv2,
            t > t_from AND t < t_end AS counts
          FROM (
            SELECT {p30:Identifier} AS unit,
              toUnixTimestamp64Milli(ts) AS t,
              (((type = {p25:String}) AND (like(path, {p26:String})))) OR (((type = {p27:String}))) OR (((type = {p28:String}))) AS at_step,
              type, name,
              mapFilter((k, v) -> v != '' AND has({p29:Array(String)}, k), props) AS ev,
              toString({p17:Identifier}) AS pv0,
              path AS pv1,
              experiments[{p20:String}] AS pv2
            FROM {db:Identifier}.events_v1
            WHERE site_id = {site:String}
              AND ts >= fromUnixTimestamp64Milli({p14:Int64})
              AND ts < fromUnixTimestamp64Milli({p15:Int64})
              AND unit != ''
          ) AS e
          INNER JOIN (
    SELECT unit, entry_ms,
      entry_ms + from_entry[indexOf(levels, {p0:UInt8})] AS t_from,
      toUInt8(has(levels, {p1:UInt8})) AS conv,
      if(conv = 1, entry_ms + from_entry[indexOf(levels, {p1:UInt8})], entry_ms + {p2:Int64} + 1) AS t_end
    FROM (
SELECT unit, furthest, levels, from_entry, from_prev, in_progress, window_open, entry_ms, bd, skipped
FROM (SELECT *,
     toUInt8(skipped = 0 AND bitShiftRight(A0[-1], 24) + {p3:Int64} >= {p12:Int64}) AS window_open,
     toUInt8(window_open = 1 AND furthest < 3) AS in_progress,
     if(skipped = 1, 0, cts[1] + {p4:Int64}) AS entry_ms,
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
                   arrayMap((a, d) -> if(a < d, a, 0), arrayFilter((h, e) -> e > skipped, arrayReverseFill((a, x) -> bitTest(x, 1), arrayShiftLeft(C2, 1), m1), e0), DL) AS A2
              FROM (SELECT *,
                     arrayReverseFill((a, x) -> bitTest(x, 1), pk1, m1) AS C1,
                     arrayReverseFill((a, x) -> bitTest(x, 2), pk1, m1) AS C2
                FROM (SELECT *,
                       arrayShiftLeft(pk, 1) AS pk1, arrayShiftLeft(m, 1, 7) AS m1,
                       arrayMap(e -> bitShiftLeft(bitShiftRight(e, 24) + {p3:Int64} + 1, 24), A0) AS DL
                  FROM (SELECT *,
                         arrayMap((v, x) -> toUInt8(bitTest(x, 0) AND bitShiftRight(v, 24) < {p11:Int64}), pk, m) AS e0,
                         arraySum(e0) AS entries,
                         toUInt8(entries * length(m) > {p13:UInt64}) AS skipped,
                         arrayFilter((h, e) -> e > skipped, pk, e0) AS A0
                    FROM (SELECT *,
                           arrayMap(x -> toUInt32(bitAnd(bitShiftRight(x, 0), 7)), ks) AS m,
                           arrayMap((x, i) -> bitShiftLeft(toInt64(bitShiftRight(x, 5)), 24) + i, ks, arrayEnumerate(ks)) AS pk
                      FROM (
                            SELECT unit, arraySort(groupArray(key)) AS ks
                            FROM (
                            SELECT
                              {p6:Identifier} AS unit,
                              toUInt64(if(((type = {p7:String}) AND (like(path, {p8:String}))), 1, 0) + if(((type = {p9:String})), 2, 0) + if(((type = {p10:String})), 4, 0)) AS mask,
                              bitAnd(mask, 7) AS sm,
                              bitShiftLeft(toUInt64(toUnixTimestamp64Milli(ts) - {p4:Int64}), 5)
                                + bitShiftLeft(toUInt64(if(sm = 0, 3, bitCount(bitXor(sm, sm - 1)) - 1)), 3)
                                + bitShiftLeft(toUInt64(mask), 0) AS key
                            FROM {db:Identifier}.events_v1
                            WHERE site_id = {site:String}
                              AND ts >= fromUnixTimestamp64Milli({p4:Int64})
                              AND ts < fromUnixTimestamp64Milli({p5:Int64})
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
))
WHERE furthest > 0 OR skipped = 1)
    WHERE skipped = 0 AND has(levels, {p0:UInt8}) AND window_open = 0
          ) AS u USING (unit)
          WHERE counts OR (at_step AND (t = t_from OR t = entry_ms))
        )
        GROUP BY unit
      )
      ARRAY JOIN all_cands AS c
      GROUP BY kind, property, value
    )
  )
  GROUP BY kind, property, bucket, v
)
ORDER BY kind = 'units' DESC, did DESC, kind, property, bucket, value
LIMIT {p33:UInt32}
SETTINGS short_circuit_function_evaluation = 'disable'
