// The bits of PHP behaviour the Spoofer (API Platform) and IODA (Symfony) mocks must copy:
// how query strings become arrays, how links are rebuilt, how strings become ints and dates.

/** PHP urldecode: '+' is a space; malformed %XX sequences are kept as they are. */
export function urldecode(s) {
  return s.replace(/\+/g, ' ').replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

/** PHP rawurlencode (RFC 3986): everything but A-Z a-z 0-9 - _ . ~ is escaped. */
export function rawurlencode(s) {
  return encodeURIComponent(String(s)).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * PHP parse_str: `a[]=1&a[]=2&b[x]=3&c=4` -> Map { a: Map{0:'1',1:'2'}, b: Map{x:'3'}, c: '4' }.
 * PHP arrays are ordered maps, so Maps are used throughout; later scalars win.
 */
export function parseStr(query) {
  const root = new Map();
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = urldecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : urldecode(part.slice(eq + 1));
    const open = rawKey.indexOf('[');
    let base = open < 0 ? rawKey : rawKey.slice(0, open);
    const subs = [];
    if (open >= 0) {
      let rest = rawKey.slice(open);
      while (rest.startsWith('[')) {
        const close = rest.indexOf(']');
        if (close < 0) break;
        subs.push(rest.slice(1, close));
        rest = rest.slice(close + 1);
      }
      if (!subs.length) base = rawKey.replace('[', '_'); // unmatched '[' becomes '_' like PHP
    }
    base = base.replace(/^ +/, '').replace(/[ .]/g, '_');
    if (!base) continue;
    assign(root, base, subs, value);
  }
  return root;
}

function nextIndex(map) {
  let n = -1;
  for (const k of map.keys()) if (/^-?\d+$/.test(k)) n = Math.max(n, Number(k));
  return String(n + 1);
}

function assign(container, key, subs, value) {
  if (!subs.length) {
    container.set(key, value);
    return;
  }
  let child = container.get(key);
  if (!(child instanceof Map)) {
    child = new Map();
    container.set(key, child);
  }
  const [first, ...rest] = subs;
  assign(child, first === '' ? nextIndex(child) : first, rest, value);
}

/** PHP http_build_query($params, '', '&', PHP_QUERY_RFC3986). */
export function httpBuildQuery(params, prefix = null) {
  const out = [];
  for (const [k, v] of params) {
    if (v === null || v === undefined) continue;
    const key = prefix === null ? rawurlencode(k) : `${prefix}%5B${rawurlencode(k)}%5D`;
    if (v instanceof Map) {
      const inner = httpBuildQuery(v, key);
      if (inner) out.push(inner);
    } else {
      out.push(`${key}=${rawurlencode(v === true ? 1 : v === false ? 0 : v)}`);
    }
  }
  return out.join('&');
}

/** PHP (int) cast of a query value. */
export function intval(v) {
  if (v instanceof Map) return v.size ? 1 : 0;
  if (v === null || v === undefined) return 0;
  const m = /^\s*([+-]?\d+)/.exec(String(v));
  return m ? parseInt(m[1], 10) : 0;
}

/** PHP is_numeric. */
export function isNumeric(v) {
  return typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v);
}

/** filter_var($v, FILTER_VALIDATE_INT) !== false */
export function isValidInt(v) {
  return typeof v === 'string' && /^\s*[+-]?(0|[1-9]\d*)\s*$/.test(v);
}

const MONTHS = {
  jan: 0, january: 0, feb: 1, february: 1, mar: 2, march: 2, apr: 3, april: 3, may: 4, jun: 5, june: 5,
  jul: 6, july: 6, aug: 7, august: 7, sep: 8, sept: 8, september: 8, oct: 9, october: 9, nov: 10,
  november: 10, dec: 11, december: 11,
};
const UNITS = { sec: 1, second: 1, min: 60, minute: 60, hour: 3600, day: 86400, week: 604800, fortnight: 1209600 };
const WEEKDAY = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)?';
const TIME = '(?:[t\\s]+(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?\\s*(am|pm)?)?';
const TZ = '\\s*(z|utc|gmt|[+-]\\d{2}(?::?\\d{2})?)?';

function build(y, mo, d, h, mi, s, ampm, tz) {
  if (mo < 0 || mo > 11 || d < 1 || d > 31) return null;
  let hh = h === undefined ? 0 : Number(h);
  if (ampm) {
    if (hh < 1 || hh > 12) return null;
    hh = (hh % 12) + (ampm === 'pm' ? 12 : 0);
  }
  const mm = mi === undefined ? 0 : Number(mi);
  const ss = s === undefined ? 0 : Number(s);
  if (hh > 24 || mm > 59 || ss > 60) return null;
  // Date.UTC rolls 2020-02-30 over to 2020-03-01, as PHP's DateTime does.
  let t = Date.UTC(Number(y), mo, d, hh, mm, ss) / 1000;
  if (tz && tz !== 'z' && tz !== 'utc' && tz !== 'gmt') {
    const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(tz);
    const off = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60;
    t -= m[1] === '+' ? off : -off;
  }
  return t;
}

/**
 * What `new \DateTime($s)` would accept (server time zone UTC), as Unix seconds; null when PHP
 * would throw. Covers the formats clients send: ISO dates and date-times with offsets, "1 May 2020",
 * "May 1, 2020", "2020/05/01", "05/01/2020" (US), "01.05.2020", "@1588291200", "now", "today",
 * "yesterday", "tomorrow", "-7 days", "3 hours ago".
 */
export function phpStrToTime(input, nowMs) {
  const s = String(input).trim().toLowerCase().replace(/\s+/g, ' ');
  const now = Math.floor(nowMs / 1000);
  const dayStart = now - (now % 86400);
  if (s === '' || s === 'now') return now;
  if (s === 'today' || s === 'midnight') return dayStart;
  if (s === 'yesterday') return dayStart - 86400;
  if (s === 'tomorrow') return dayStart + 86400;
  if (s === 'noon') return dayStart + 43200;
  let m = /^@(-?\d+)(\.\d+)?$/.exec(s);
  if (m) return Number(m[1]);
  m = /^([+-]?\d+) ?(sec|second|min|minute|hour|day|week|fortnight|month|year)s?( ago)?$/.exec(s);
  if (m) {
    let n = Number(m[1]) * (m[3] ? -1 : 1);
    if (UNITS[m[2]]) return now + n * UNITS[m[2]];
    const d = new Date(now * 1000);
    if (m[2] === 'month') d.setUTCMonth(d.getUTCMonth() + n);
    else d.setUTCFullYear(d.getUTCFullYear() + n);
    return d.getTime() / 1000;
  }
  m = new RegExp(`^(\\d{4})-(\\d{1,2})-(\\d{1,2})${TIME}${TZ}$`).exec(s);
  if (m) return build(m[1], Number(m[2]) - 1, Number(m[3]), m[4], m[5], m[6], m[7], m[8]);
  m = new RegExp(`^(\\d{4})/(\\d{1,2})/(\\d{1,2})${TIME}${TZ}$`).exec(s);
  if (m) return build(m[1], Number(m[2]) - 1, Number(m[3]), m[4], m[5], m[6], m[7], m[8]);
  m = new RegExp(`^(\\d{1,2})/(\\d{1,2})/(\\d{4})${TIME}${TZ}$`).exec(s); // American m/d/y
  if (m) return build(m[3], Number(m[1]) - 1, Number(m[2]), m[4], m[5], m[6], m[7], m[8]);
  m = new RegExp(`^(\\d{1,2})[-.](\\d{1,2})[-.](\\d{4})${TIME}${TZ}$`).exec(s); // d-m-y, d.m.y
  if (m) return build(m[3], Number(m[2]) - 1, Number(m[1]), m[4], m[5], m[6], m[7], m[8]);
  m = new RegExp(`^${WEEKDAY}(\\d{1,2})(?:st|nd|rd|th)?[ -]([a-z]+)\\.?,?[ -](\\d{4})${TIME}${TZ}$`).exec(s);
  if (m && m[2] in MONTHS) return build(m[3], MONTHS[m[2]], Number(m[1]), m[4], m[5], m[6], m[7], m[8]);
  m = new RegExp(`^${WEEKDAY}([a-z]+)\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})${TIME}${TZ}$`).exec(s);
  if (m && m[1] in MONTHS) return build(m[3], MONTHS[m[1]], Number(m[2]), m[4], m[5], m[6], m[7], m[8]);
  return null;
}
