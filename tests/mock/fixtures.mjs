// Seeded data sets for the mock services, grown from the recorded samples in tests/fixtures/.
//
// Everything is derived from one PRNG seed and an anchor time ("now" rounded down to the hour),
// so the same anchor always yields the same data, and default windows (last 24 h, last 7 d)
// always contain records. The real samples are included verbatim (with their original times).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SEED = 0x4e4c3231; // "NL21"
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const HOUR = 3600;
const DAY = 86400;

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: tiny, fast, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  float(min = 0, max = 1) {
    return min + (max - min) * this.next();
  }
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)];
  }
  /** pairs: [[value, weight], ...] */
  weighted(pairs) {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  sample(arr, n) {
    const copy = arr.slice();
    const out = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }
}

/** One independent stream per data set, so changing one generator never shifts another. */
function stream(name) {
  let h = SEED;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return new Rng(h);
}

// ---------------------------------------------------------------------------------------------
// Addresses

export function v4ToInt(s) {
  return s.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}
export function intToV4(n) {
  return [24, 16, 8, 0].map((sh) => Math.floor(n / 2 ** sh) % 256).join('.');
}
/** 8 groups of 16 bits -> RFC 5952 text. */
export function groupsToV6(groups) {
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best[1] && j - i >= 2) best = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best[0] < 0) return hex.join(':');
  const head = hex.slice(0, best[0]).join(':');
  const tail = hex.slice(best[0] + best[1]).join(':');
  return `${head}::${tail}`;
}
export function v6ToGroups(s) {
  const [h, t] = s.includes('::') ? s.split('::') : [s, null];
  const head = h ? h.split(':') : [];
  const tail = t === null ? [] : t ? t.split(':') : [];
  const zeros = t === null ? 0 : 8 - head.length - tail.length;
  return [...head, ...Array(zeros).fill('0'), ...tail].map((x) => parseInt(x, 16));
}

// ---------------------------------------------------------------------------------------------
// Shared catalogues: countries, regions, autonomous systems

// [iso2, iso3, name, netacuity continent]
export const COUNTRIES = [
  ['US', 'usa', 'United States', 'NA'], ['CA', 'can', 'Canada', 'NA'], ['MX', 'mex', 'Mexico', 'NA'],
  ['CU', 'cub', 'Cuba', 'NA'], ['BR', 'bra', 'Brazil', 'SA'], ['AR', 'arg', 'Argentina', 'SA'],
  ['CL', 'chl', 'Chile', 'SA'], ['CO', 'col', 'Colombia', 'SA'], ['VE', 'ven', 'Venezuela', 'SA'],
  ['GB', 'gbr', 'United Kingdom', 'EU'], ['DE', 'deu', 'Germany', 'EU'], ['FR', 'fra', 'France', 'EU'],
  ['NL', 'nld', 'Netherlands', 'EU'], ['NO', 'nor', 'Norway', 'EU'], ['SE', 'swe', 'Sweden', 'EU'],
  ['FI', 'fin', 'Finland', 'EU'], ['DK', 'dnk', 'Denmark', 'EU'], ['PL', 'pol', 'Poland', 'EU'],
  ['IT', 'ita', 'Italy', 'EU'], ['ES', 'esp', 'Spain', 'EU'], ['CH', 'che', 'Switzerland', 'EU'],
  ['AT', 'aut', 'Austria', 'EU'], ['UA', 'ukr', 'Ukraine', 'EU'], ['RU', 'rus', 'Russia', 'EU'],
  ['LV', 'lva', 'Latvia', 'EU'], ['TR', 'tur', 'Turkey', 'EU'], ['IQ', 'irq', 'Iraq', 'AS'],
  ['IR', 'irn', 'Iran', 'AS'], ['SY', 'syr', 'Syria', 'AS'], ['AE', 'are', 'United Arab Emirates', 'AS'],
  ['SA', 'sau', 'Saudi Arabia', 'AS'], ['IN', 'ind', 'India', 'AS'], ['PK', 'pak', 'Pakistan', 'AS'],
  ['CN', 'chn', 'China', 'AS'], ['JP', 'jpn', 'Japan', 'AS'], ['KR', 'kor', 'South Korea', 'AS'],
  ['HK', 'hkg', 'Hong Kong', 'AS'], ['SG', 'sgp', 'Singapore', 'AS'], ['MM', 'mmr', 'Myanmar', 'AS'],
  ['AU', 'aus', 'Australia', 'OC'], ['NZ', 'nzl', 'New Zealand', 'OC'], ['AS', 'asm', 'American Samoa', 'OC'],
  ['EG', 'egy', 'Egypt', 'AF'], ['NG', 'nga', 'Nigeria', 'AF'], ['ZA', 'zaf', 'South Africa', 'AF'],
  ['KE', 'ken', 'Kenya', 'AF'], ['ET', 'eth', 'Ethiopia', 'AF'], ['SD', 'sdn', 'Sudan', 'AF'],
  ['MU', 'mus', 'Mauritius', 'AF'], ['GA', 'gab', 'Gabon', 'AF'],
];
const COUNTRY = Object.fromEntries(COUNTRIES.map(([iso2, iso3, name, cont]) => [iso2, { iso2, iso3, name, cont }]));

// [code, name, iso2, ne_region_id]; 1870, 1859 and 2389 come from the legacy IODA sample,
// 4416 (California) from the v2 summary sample. Other codes are made up in the same style.
export const REGIONS = [
  ['1870', 'Babil', 'IQ', 1159315805], ['1859', "Karbala'", 'IQ', 1159315811], ['2389', 'Rugaju', 'LV', 1159313443],
  ['1861', 'Baghdad', 'IQ', 1159315807], ['1866', 'Al-Basrah', 'IQ', 1159315809], ['1873', 'Ninawa', 'IQ', 1159315815],
  ['1876', 'Arbil', 'IQ', 1159315819], ['4416', 'California', 'US', 1159315903], ['4418', 'Texas', 'US', 1159315941],
  ['4421', 'New York', 'US', 1159315927], ['4424', 'Florida', 'US', 1159315911], ['4428', 'Washington', 'US', 1159315947],
  ['2545', 'Oslo', 'NO', 1159311417], ['2547', 'Vestland', 'NO', 1159311433], ['2549', 'Viken', 'NO', 1159311437],
  ['2551', 'Trøndelag', 'NO', 1159311429], ['1125', 'Bayern', 'DE', 1159313011], ['1127', 'Berlin', 'DE', 1159313013],
  ['1131', 'Hessen', 'DE', 1159313019], ['3105', 'Tehran', 'IR', 1159315703], ['3107', 'Esfahan', 'IR', 1159315689],
  ['3111', 'Khuzestan', 'IR', 1159315697], ['3302', 'Damascus', 'SY', 1159315831], ['3305', 'Aleppo', 'SY', 1159315825],
  ['2012', 'Kyiv City', 'UA', 1159313521], ['2019', 'Kharkiv', 'UA', 1159313517], ['4107', 'Izmir', 'TR', 1159315989],
  ['4101', 'Istanbul', 'TR', 1159315985], ['1630', 'Maharashtra', 'IN', 1159315451], ['1633', 'Delhi', 'IN', 1159315441],
  ['1402', 'Khartoum', 'SD', 1159316101], ['1390', 'Addis Ababa', 'ET', 1159316023], ['1512', 'Lagos', 'NG', 1159316177],
  ['1520', 'Kano', 'NG', 1159316171], ['3501', 'Yangon', 'MM', 1159315311], ['3507', 'Mandalay', 'MM', 1159315305],
  ['2801', 'São Paulo', 'BR', 1159316603], ['2806', 'Rio de Janeiro', 'BR', 1159316599], ['2101', 'La Habana', 'CU', 1159316711],
  ['3701', 'Moskva', 'RU', 1159313701], ['3705', 'Sankt-Peterburg', 'RU', 1159313711], ['1188', 'Île-de-France', 'FR', 1159313101],
];

// Autonomous systems: [asn, as name, organisation, iso2, asrank rank, ip_count, v4 blocks, v6 block]
// Names follow AS-name registries; 3307 follows the IODA documentation (Broadnet / BANETELE-NORWAY).
// 64496-64511 and 65536-65551 are documentation ASNs (RFC 5398): used for the "bad actors".
const AS_TABLE = [
  [3356, 'LEVEL3', 'Level 3 Parent, LLC', 'US', 1, 29431040, ['4.0.0.0/9', '8.0.0.0/9'], '2001:1900::/32'],
  [1299, 'TWELVE99', 'Arelion Sweden AB', 'SE', 2, 2373888, ['62.115.0.0/16', '213.248.64.0/18'], '2001:2000::/32'],
  [174, 'COGENT-174', 'Cogent Communications', 'US', 3, 8779520, ['38.0.0.0/9'], '2001:550::/32'],
  [3257, 'GTT-BACKBONE', 'GTT Communications Inc.', 'US', 4, 2125824, ['77.67.0.0/17', '89.149.128.0/17'], '2001:668::/32'],
  [2914, 'NTT-LTD-2914', 'NTT America, Inc.', 'US', 5, 6553600, ['129.250.0.0/16', '128.241.0.0/16'], '2001:418::/32'],
  [6939, 'HURRICANE', 'Hurricane Electric LLC', 'US', 6, 1310720, ['184.104.0.0/15', '216.218.128.0/17'], '2001:470::/32'],
  [6762, 'SEABONE-NET', 'TELECOM ITALIA SPARKLE S.p.A.', 'IT', 7, 655360, ['195.22.192.0/19', '93.186.128.0/20'], '2a02:1b8::/32'],
  [7018, 'ATT-INTERNET4', 'AT&T Services, Inc.', 'US', 15, 86335232, ['12.0.0.0/9', '99.0.0.0/10'], '2600:1700::/28'],
  [701, 'UUNET', 'Verizon Business', 'US', 18, 40632320, ['71.96.0.0/11', '108.0.0.0/11'], '2600:1000::/28'],
  [7922, 'COMCAST-7922', 'Comcast Cable Communications, LLC', 'US', 30, 71303168, ['73.0.0.0/9', '98.192.0.0/10'], '2601::/20'],
  [3320, 'DTAG', 'Deutsche Telekom AG', 'DE', 11, 34734080, ['79.192.0.0/10', '84.128.0.0/10', '91.0.0.0/10'], '2003::/19'],
  [3209, 'VODANET', 'Vodafone GmbH', 'DE', 60, 10485760, ['88.64.0.0/12', '92.72.0.0/13'], '2a02:8100::/27'],
  [3215, 'France Telecom - Orange', 'Orange S.A.', 'FR', 38, 22020096, ['90.0.0.0/9', '86.192.0.0/10'], '2a01:c000::/19'],
  [12322, 'PROXAD', 'Free SAS', 'FR', 95, 14680064, ['82.224.0.0/11', '78.192.0.0/10'], '2a01:e00::/26'],
  [2856, 'BT-UK-AS', 'British Telecommunications PLC', 'GB', 50, 17825792, ['81.128.0.0/11', '86.128.0.0/10'], '2a00:2300::/24'],
  [5089, 'NTL', 'Virgin Media Limited', 'GB', 120, 9437184, ['82.0.0.0/11', '86.0.0.0/11'], '2a02:c7f::/32'],
  [1136, 'KPN', 'KPN B.V.', 'NL', 110, 8126464, ['77.160.0.0/11', '145.128.0.0/11'], '2a02:a400::/23'],
  [2119, 'TELENOR-NEXTEL', 'Telenor Norge AS', 'NO', 140, 2359296, ['84.208.0.0/13', '85.164.0.0/14'], '2001:4600::/26'],
  [3307, 'BANETELE-NORWAY', 'Broadnet AS', 'NO', 2150, 256, ['193.69.13.0/24'], '2001:67c:1a8::/48'],
  [29695, 'ALTIBOX_AS', 'Altibox AS', 'NO', 900, 1179648, ['81.166.0.0/15', '89.8.0.0/15'], '2a01:798::/29'],
  [3301, 'TELIANET-SWEDEN', 'Telia Company AB', 'SE', 45, 5242880, ['78.64.0.0/12', '90.224.0.0/11'], '2001:2040::/29'],
  [4134, 'CHINANET-BACKBONE', 'China Telecom', 'CN', 80, 115343360, ['58.32.0.0/11', '114.80.0.0/12'], '240e::/20'],
  [4837, 'CHINA169-BACKBONE', 'China Unicom', 'CN', 90, 57671680, ['60.0.0.0/11', '123.112.0.0/12'], '2408:8000::/20'],
  [4766, 'KIXS-AS-KR', 'Korea Telecom', 'KR', 130, 26214400, ['175.192.0.0/10', '121.128.0.0/10'], '2001:e60::/20'],
  [2516, 'KDDI', 'KDDI CORPORATION', 'JP', 150, 12582912, ['106.128.0.0/10', '111.96.0.0/11'], '2001:240::/20'],
  [4713, 'OCN', 'NTT Communications Corporation', 'JP', 100, 24117248, ['114.144.0.0/12', '153.128.0.0/9'], '2400:4000::/21'],
  [1221, 'ASN-TELSTRA', 'Telstra Limited', 'AU', 70, 11534336, ['101.160.0.0/11', '120.144.0.0/12'], '2001:8000::/20'],
  [7545, 'TPG-INTERNET-AP', 'TPG Telecom Limited', 'AU', 160, 4194304, ['110.174.0.0/15', '203.219.0.0/16'], '2001:44b8::/32'],
  [812, 'ROGERS-COMMUNICATIONS', 'Rogers Communications Canada Inc.', 'CA', 170, 7340032, ['99.224.0.0/11', '174.112.0.0/12'], '2607:fea8::/32'],
  [577, 'BACOM', 'Bell Canada', 'CA', 85, 9961472, ['70.24.0.0/13', '142.112.0.0/12'], '2001:56a::/32'],
  [28573, 'CLARO S.A.', 'Claro S.A.', 'BR', 200, 13631488, ['177.0.0.0/11', '187.0.0.0/11'], '2804:14c::/31'],
  [8151, 'Uninet S.A. de C.V.', 'Uninet S.A. de C.V.', 'MX', 210, 10485760, ['187.128.0.0/10', '189.128.0.0/11'], '2806:2f0::/32'],
  [9498, 'BBIL-AP', 'Bharti Airtel Ltd.', 'IN', 105, 7340032, ['122.160.0.0/12', '106.192.0.0/11'], '2401:4900::/32'],
  [55836, 'RELIANCEJIO-IN', 'Reliance Jio Infocomm Limited', 'IN', 300, 6291456, ['49.32.0.0/11', '157.32.0.0/11'], '2405:200::/29'],
  [12389, 'ROSTELECOM-AS', 'PJSC Rostelecom', 'RU', 25, 14680064, ['95.24.0.0/13', '178.64.0.0/12'], '2a01:620::/32'],
  [8452, 'TE-AS', 'TE Data', 'EG', 400, 6815744, ['41.32.0.0/12', '197.32.0.0/12'], '2c0f:fe98::/32'],
  [50710, 'EARTHLINK-AS', 'EarthLink Ltd. Communications&Internet Services', 'IQ', 1200, 262144, ['37.236.0.0/14', '185.108.200.0/22'], '2a05:dfc0::/29'],
  [58224, 'TCI', 'Iran Telecommunication Company PJS', 'IR', 250, 6029312, ['2.176.0.0/12', '5.112.0.0/12'], '2a01:5ec0::/26'],
  [29256, 'INT-PDN-STE-AS', 'Syrian Telecom', 'SY', 2500, 327680, ['5.0.0.0/16', '31.9.0.0/16'], '2a02:2a40::/32'],
  [5384, 'EMIRATES-INTERNET', 'Emirates Telecommunications Group Company (etisalat group) PJSC', 'AE', 260, 3145728, ['94.56.0.0/13', '86.96.0.0/13'], '2001:8f8::/32'],
  [25019, 'SAUDINETSTC-AS', 'Saudi Telecom Company JSC', 'SA', 230, 5242880, ['94.96.0.0/12', '212.118.96.0/19'], '2a02:cb80::/26'],
  [9121, 'TTNET', 'Turk Telekomunikasyon Anonim Sirketi', 'TR', 140, 11534336, ['78.160.0.0/11', '88.224.0.0/11'], '2a01:358::/29'],
  [12741, 'AS-NETIA', 'Netia SA', 'PL', 700, 1048576, ['83.238.0.0/15', '89.78.0.0/15'], '2a01:110::/31'],
  [6830, 'LIBERTYGLOBAL', 'Liberty Global B.V.', 'NL', 40, 8388608, ['84.116.0.0/15', '213.46.0.0/16'], '2001:730::/29'],
  [9009, 'M247', 'M247 Europe SRL', 'RO', 330, 1572864, ['185.156.172.0/22', '37.120.128.0/17'], '2a0d:5600::/29'],
  [16509, 'AMAZON-02', 'Amazon.com, Inc.', 'US', 35, 48234496, ['52.0.0.0/11', '54.64.0.0/11'], '2600:1f00::/24'],
  [15169, 'GOOGLE', 'Google LLC', 'US', 9, 8912896, ['8.8.8.0/24', '142.250.0.0/15'], '2001:4860::/32'],
  [36040, 'YOUTUBE', 'Google LLC', 'US', 4100, 11264, ['208.65.152.0/22', '208.117.224.0/19'], '2620:0:1000::/40'],
  [13335, 'CLOUDFLARENET', 'Cloudflare, Inc.', 'US', 20, 1769472, ['104.16.0.0/13', '172.64.0.0/13'], '2606:4700::/32'],
  [8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', 'Microsoft Corporation', 'US', 12, 58720256, ['20.0.0.0/11', '40.64.0.0/10'], '2603:1000::/24'],
  [20940, 'AKAMAI-ASN1', 'Akamai International B.V.', 'NL', 17, 2097152, ['23.0.0.0/12', '2.16.0.0/13'], '2a02:26f0::/29'],
  [23657, 'BLUESKY-AS-AP', 'Blue Sky Communications', 'AS', 7000, 9728, ['202.70.112.0/20', '182.255.32.0/20'], '2405:7000::/32'],
  [37100, 'SEACOM-AS', 'SEACOM Limited', 'MU', 190, 393216, ['105.16.0.0/12', '196.49.0.0/16'], '2c0f:feb0::/32'],
  [16637, 'MTNNS-AS', 'MTN SA', 'ZA', 450, 2621440, ['41.112.0.0/12', '105.224.0.0/11'], '2c0f:f4c0::/32'],
  [29465, 'VCG-AS', 'MTN Nigeria Communication Limited', 'NG', 800, 1048576, ['41.184.0.0/14', '105.112.0.0/12'], '2c0f:f6d0::/32'],
  [33771, 'SAFARICOM-LIMITED', 'Safaricom Limited', 'KE', 950, 1310720, ['41.80.0.0/13', '105.160.0.0/12'], '2c0f:fe38::/32'],
  [24757, 'EthioNet-AS', 'Ethiopian Telecommunication Corporation', 'ET', 1500, 655360, ['196.188.0.0/14', '197.156.64.0/18'], '2c0f:f8f0::/32'],
  [15706, 'Sudatel', 'Sudatel (Sudan Telecom Co. Ltd)', 'SD', 2100, 262144, ['196.1.224.0/19', '41.95.0.0/16'], '2c0f:fbe8::/32'],
  [9737, 'TOTNET-TH-AS-AP', 'TOT Public Company Limited', 'TH', 360, 3145728, ['118.172.0.0/14', '180.180.0.0/15'], '2001:c38::/32'],
  [136255, 'MPT-AS-MM', 'Myanma Posts and Telecommunications', 'MM', 3000, 262144, ['103.85.104.0/22', '37.111.0.0/17'], '2407:8000::/32'],
  [27725, 'Empresa de Telecomunicaciones de Cuba, SA', 'ETECSA', 'CU', 1800, 131072, ['152.206.0.0/15', '169.158.0.0/16'], '2001:1340::/32'],
  [25144, 'TELEKOM-SRBIJA', 'Telekom Srbija', 'RS', 620, 917504, ['109.92.0.0/14', '178.148.0.0/15'], '2a00:1e88::/32'],
  [16735, 'ALGAR TELECOM S/A', 'Algar Telecom S/A', 'BR', 520, 1048576, ['200.225.192.0/18', '187.32.0.0/13'], '2804:4c4::/32'],
  [34467, 'IHR-SAMPLE-VICTIM', 'Unknown organisation', 'ZA', 9000, 1024, ['196.22.132.0/22'], '2c0f:fa18::/32'],
  [60064, 'IHR-SAMPLE-ORIGIN-A', 'Unknown organisation', 'GB', 12000, 512, ['185.72.68.0/22'], '2a0c:9a40::/32'],
  [328892, 'IHR-SAMPLE-ORIGIN-B', 'Unknown organisation', 'ZA', 25000, 256, ['102.218.36.0/22'], '2c0f:2a80::/32'],
  [64496, 'DOC-BAD-ACTOR-1', 'Example Bulletproof Hosting', 'SC', 40000, 1024, ['198.51.100.0/24'], '2001:db8:100::/48'],
  [64497, 'DOC-BAD-ACTOR-2', 'Example Offshore Networks', 'BZ', 41000, 768, ['203.0.113.0/24'], '2001:db8:200::/48'],
  [64499, 'DOC-BAD-ACTOR-3', 'Example Transit Reseller', 'RU', 42000, 2048, ['192.0.2.0/24'], '2001:db8:300::/48'],
  [64500, 'DOC-SPAM-ASN-1', 'Example Snowshoe Ltd', 'NL', 43000, 4096, ['45.150.206.0/24'], '2001:db8:1234::/48'],
  [64501, 'DOC-DROP-ASN-1', 'Example Hijacked Space', 'US', 44000, 512, ['198.18.0.0/24'], '2001:db8:400::/48'],
  [64502, 'DOC-DROP-ASN-2', 'Example Stolen Blocks', 'HK', 45000, 256, ['198.19.0.0/24'], '2001:db8:500::/48'],
  [65536, 'DOC-BAD-ACTOR-4', 'Example 32-bit Bad Actor', 'PA', 46000, 512, ['100.64.10.0/24'], '2001:db8:600::/48'],
  [65538, 'DOC-DROP-ASN-3', 'Example Drop Listed', 'SC', 47000, 256, ['100.64.20.0/24'], '2001:db8:700::/48'],
];
const EXTRA_COUNTRIES = { RO: ['rou', 'Romania'], TH: ['tha', 'Thailand'], RS: ['srb', 'Serbia'], SC: ['syc', 'Seychelles'], BZ: ['blz', 'Belize'], PA: ['pan', 'Panama'] };

export const ASES = AS_TABLE.map(([asn, name, org, cc, rank, ipCount, v4, v6], i) => ({
  asn, name, org, cc, rank, ipCount, v4, v6,
  orgId: `${name.replace(/[^A-Za-z0-9]/g, '').slice(0, 8).toUpperCase() || 'ORG'}-${(1000 + i * 37) % 9973}-ARIN`,
  countryName: COUNTRY[cc]?.name ?? EXTRA_COUNTRIES[cc]?.[1] ?? cc,
  iso3: COUNTRY[cc]?.iso3 ?? EXTRA_COUNTRIES[cc]?.[0] ?? cc.toLowerCase(),
}));
export const AS_BY_NUM = Object.fromEntries(ASES.map((a) => [a.asn, a]));
export const BLOCKLIST = [64496, 64497, 64499, 65536];
export const ASNDROP = [64501, 64502, 65538];

/** A random /len prefix inside an AS's IPv4 blocks. */
function v4Prefix(rng, as, len) {
  const block = rng.pick(as.v4);
  const [base, blen] = block.split('/');
  const b = v4ToInt(base);
  const l = Math.max(Number(blen), Math.min(len, 32));
  const span = 2 ** (l - Number(blen));
  const idx = rng.int(0, span - 1);
  return `${intToV4(b + idx * 2 ** (32 - l))}/${l}`;
}
/** A random /len IPv6 prefix (len 32..64, multiple of 4) inside an AS's IPv6 block. */
function v6Prefix(rng, as, len) {
  const [base, blen] = as.v6.split('/');
  const g = v6ToGroups(base);
  const bl = Number(blen);
  const l = Math.max(bl, len);
  // set random bits between bl and l
  for (let bit = bl; bit < l; bit++) {
    if (rng.chance(0.5)) g[Math.floor(bit / 16)] |= 1 << (15 - (bit % 16));
  }
  for (let bit = l; bit < 128; bit++) g[Math.floor(bit / 16)] &= ~(1 << (15 - (bit % 16)));
  return `${groupsToV6(g)}/${l}`;
}

// ---------------------------------------------------------------------------------------------
// Time helpers

export function isoSeconds(ts) {
  return new Date(ts * 1000).toISOString().replace('.000Z', '+00:00');
}
function readJson(rel) {
  return JSON.parse(readFileSync(FIXTURES + rel, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Spoofer

function spoofOutcome(rng, privateSide) {
  return rng.weighted(
    privateSide
      ? [['blocked', 62], ['received', 24], ['rewritten', 5], ['unknown', 9]]
      : [['blocked', 74], ['received', 14], ['rewritten', 4], ['unknown', 8]],
  );
}

function genSpoofer(anchor) {
  const rng = stream('spoofer');
  const real = [readJson('spoofer/session-record-891176.json'), readJson('spoofer/session-record-894351.json')];
  // ASNs with many sessions, so filtered paging spans several pages (30 per page).
  const heavy = [[3356, 128], [3320, 101], [1299, 74], [7018, 67]];
  const light = ASES.filter((a) => !heavy.some(([h]) => h === a.asn) && a.asn < 64496 && ![36040, 15169, 16509, 8075, 13335, 20940].includes(a.asn));
  const total = 1198;
  const asnPlan = [];
  for (const [asn, n] of heavy) for (let i = 0; i < n; i++) asnPlan.push(asn);
  while (asnPlan.length < total) asnPlan.push(rng.pick(light).asn);
  // shuffle the plan
  for (let i = asnPlan.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [asnPlan[i], asnPlan[j]] = [asnPlan[j], asnPlan[i]];
  }
  // times: 26 in the last 23 h, ~70% within 90 days, the rest up to 3 years back
  const offsets = [];
  for (let i = 0; i < total; i++) {
    if (i < 26) offsets.push(rng.int(60, 23 * HOUR));
    else if (i < 880) offsets.push(rng.int(60, 90 * DAY));
    else offsets.push(rng.int(90 * DAY, 3 * 365 * DAY));
  }
  offsets.sort((a, b) => b - a); // oldest first -> ids ascend with time
  // make sure each heavy ASN has sessions in the last 7 days
  const lastWeek = offsets.map((o, i) => [o, i]).filter(([o]) => o < 7 * DAY).map(([, i]) => i);
  heavy.forEach(([asn], k) => {
    for (let j = 0; j < 3; j++) {
      const slot = lastWeek[(k * 3 + j) * 2 % lastWeek.length];
      const swap = asnPlan.indexOf(asn, 0);
      if (asnPlan[slot] !== asn && swap >= 0) {
        [asnPlan[slot], asnPlan[swap]] = [asnPlan[swap], asnPlan[slot]];
      }
    }
  });
  const sessions = [...real];
  let id = 2_304_117;
  for (let i = 0; i < total; i++) {
    id += rng.int(3, 140);
    const as = AS_BY_NUM[asnPlan[i]];
    const cc3 = as.iso3;
    const v6only = rng.chance(0.025);
    const v6 = v6only || rng.chance(0.36);
    const nat4 = v6only ? null : rng.chance(0.71);
    const s = {
      '@id': `/sessions/${id}`,
      '@type': 'Session',
      asn4: v6only ? null : String(as.asn),
      asn6: v6 ? String(rng.chance(0.93) ? as.asn : rng.pick(light).asn) : null,
      client4: v6only ? null : v4Prefix(rng, as, 24),
      client6: v6 ? v6Prefix(rng, as, 40) : null,
      country: cc3,
      nat4,
      nat6: v6 ? rng.chance(0.08) : null,
      privatespoof: v6only ? null : spoofOutcome(rng, true),
      privatespoof6: v6 ? spoofOutcome(rng, true) : null,
      routedspoof: v6only ? null : spoofOutcome(rng, false),
      routedspoof6: v6 ? spoofOutcome(rng, false) : null,
      session: id,
      timestamp: isoSeconds(anchor - offsets[i]),
    };
    sessions.push(s);
  }
  return sessions;
}

// ---------------------------------------------------------------------------------------------
// GRIP

export const GRIP_TAGS = {
  'outdated-info': ['the newcomer information is potentially outdated', []],
  'all-newcomers': ['all origins are newcomers', []],
  'no-newcomer': ['no newcomer ASes', []],
  'all-newcomer-pfxs': ['all prefixes in the event are originated by (at least) a newcomer AS', ['submoas defcon']],
  'newcomer-more-specific': ['(at least 1) newcomer AS announces the more specific prefix', ['submoas defcon']],
  'newcomer-less-specific': ['(at least 1) newcomer AS announces the less specific prefix', ['submoas defcon']],
  'not-previously-announced': ['the prefix was not previously announced in the past 10 months', []],
  'not-previously-announced-by-any-newcomer': ['the prefix was not previously announced by any of the newcomer origins in the past 10 months', []],
  'previously-announced-by-all-newcomers': ['the prefix was previously announced by all newcomer origins in the past 10 months', []],
  'previously-announced-by-some-newcomers': ['the prefix was previously announced by some newcomer origins in the past 10 months', []],
  'less-origins': ['the prefix was announced by less origin ASes than before', ['De-MOAS scenario']],
  'recurring-pfx-event': ['we have seen this prefix event in the past 24 hours', []],
  'moas-transition': ['Transition from one origin to another with an intermediate MOAS (from A to A,B to B)', []],
  'moas-potential-convergence': ['MOAS is potentially due to bgp convergence (transition A to A,B to B lasting at most 5 minutes)', []],
  'moas-potential-transfer': ['MOAS is potentially caused by prefix ownership transfer (transition A to A,B to B lasting more than 5 minutes)', []],
  'all-newcomers-next-to-an-oldcomer': ['all newcomers each is next to an oldcomer on the path', []],
  'oldcomers-always-on-newcomer-originated-paths': ['all oldcomers are on the paths of the newcomers', []],
  'oldcomer-path-prepending': ['some old comer does path prepending', []],
  'new-edge-connected-to-Tier-1': ['the new edge is between a Tier 1 ISP and a non-Tier 1 AS', ['edges only']],
  'new-bidirectional': ['new edge', ['edges only']],
  'adj-previously-observed-exact': ['the edge with the same direction has been observed previously', ['edges only']],
  'adj-previously-observed-opposite': ['the edge with different direction has been observed previously', ['edges only']],
  'all-new-edge-at-origin': ["the new edge are at the origin for all AS paths it's on", ['edges only']],
  'no-new-edge-at-origin': ["the new edge are not at the origin for all AS paths it's on", ['edges only']],
  'all-new-edge-at-collectors': ["the new edge are at the collectors for all AS paths it's on", ['edges only']],
  'no-common-monitors': ['no monitors observed paths for both prefixes in the event', ['defcon']],
  'superpaths-include-subpaths': ['paths to the super-prefix include the paths to the sub-prefix', ['defcon']],
  'sub-path-shorter': ['the (common part of) paths toward the sub-prefix are shorter than (the common part of) paths toward the super-prefix', ['defcon']],
  'sub-path-longer': ['the (common part of) paths toward the sub-prefix are longer than (the common part of) paths toward super-prefix', ['defcon']],
  'sub-path-equal': ['the (common part of) paths toward the sub-prefix are the same length as (the common part of) paths to the super-prefix', ['defcon']],
  'single-Tier-1-upstream-on-subpaths-1-hop': ['the (common part of) paths toward the sub-prefix ends in the sequence Tier 1 ISP - Origin', ['submoas', 'defcon']],
  'newcomer-small-asn': ['the newcomer has an AS number smaller or equals to 25', []],
  'origin-small-edit-distance': ['the newcomer origin AS number has small edit distance to the old origin AS number', []],
  'prefix-small-edit-distance': ['the prefix of the event has small edit distance to a prefix recently announced by some new origins', []],
  'edge-small-edit-distance': ['the pair of AS numbers in the new edge has small edit distance', []],
  'has-private-asn': ['some origins are private ASes', []],
  'due-to-private-asn': ['all origins but one are private ASes', []],
  'has-as-trans': ['some origins are AS Trans', []],
  'blacklist-asn': ['involves AS that is repeatedly reported to behave maliciously', ['The blacklist is extracted from NANOG email list and manually validated.']],
  'spamhaus-asn-drop': ["involves AS that is on Spamhaus' ASN-DROP list", []],
  'reserved-space': ['the prefix is reserved', []],
  'long-prefix': ['the prefix is longer than /24', []],
  'ipv6-prefix': ['prefix is IPv6 prefix', []],
  'oldcomer-newcomer-some-siblings': ['at least one newcomer AS is sibling or friend with at least one potential victim', []],
  'some-newcomers-are-providers': ['some newcomer origins are providers of at least one potential victim', []],
  'all-newcomers-are-customers': ['all newcomer origins are customers of at least one potential victim', []],
  'all-newcomers-stub-ases': ['all newcomer origins are stub ASes (have only providers)', []],
  'all-victims-stub-ases': ['all potential victim origins are stub ASes (have only providers)', []],
  'all-origins-same-country': ['all origins are registered in the same country', []],
  'hegemony-valley-paths': ['some paths have hegemony value valleys', []],
  'rpki-all-newcomer-invalid-roa': ['all newcomer origin has invalid RPKI ROA record for the announced prefix (subprefix)', []],
  'rpki-all-newcomer-valid-roa': ['all newcomer origin has valid RPKI ROA record for the announced prefix (subprefix)', []],
  'rpki-all-newcomer-unknown-roa': ['all newcomer origin has unknown RPKI ROA record for the announced prefix (subprefix)', []],
  'rpki-all-oldcomer-valid-roa': ['all oldcomer origin has valid RPKI ROA record for the announced prefix (subprefix)', []],
  notags: ['no other tags apply to this event', []],
};

const GRIP_TR_WORTHY = [
  { tags: ['not-previously-announced-by-any-newcomer'], worthy: 'yes', explain: 'newcomer has not previously announced the prefix before, worth checking out', apply_to: [] },
  { tags: ['sub-path-longer'], worthy: 'yes', explain: 'sub-prefix travels longer in AS paths', apply_to: [] },
  { tags: ['reserved-space'], worthy: 'yes', explain: 'reserved prefix should not be announced', apply_to: [] },
  { tags: ['blacklist-asn'], worthy: 'yes', explain: 'the AS was reported for malicious behaviors before', apply_to: [] },
  { tags: ['spamhaus-asn-drop'], worthy: 'yes', explain: 'the AS is on spamhaus asn-drop list', apply_to: [] },
  { tags: ['origin-small-edit-distance'], worthy: 'yes', explain: 'fat-finger wrong as number', apply_to: [] },
  { tags: ['rpki-all-newcomer-invalid-roa'], worthy: 'yes', explain: 'newcomer announces prefix with invalid ROA record', apply_to: [] },
  { tags: ['ipv6-prefix'], worthy: 'no', explain: 'no ipv6 prefix should be tracerouted', apply_to: [] },
  { tags: ['recurring-pfx-event'], worthy: 'no', explain: 'recurring events should be ignored', apply_to: [] },
  { tags: ['all-newcomers'], worthy: 'no', explain: 'all origins are newcomer to the prefix, no victims, no need to traceroute', apply_to: [] },
  { tags: ['long-prefix'], worthy: 'no', explain: 'very long prefix does not attack much traffic and are likely to be triggered by normal traffic engineering', apply_to: ['defcon'] },
  { tags: ['moas-potential-convergence'], worthy: 'no', explain: 'moas likely caused by bgp convergence', apply_to: [] },
  { tags: ['new-bidirectional'], worthy: 'no', explain: '', apply_to: [] },
  { tags: ['notags'], worthy: 'na', explain: '', apply_to: [] },
  { tags: ['long-prefix'], worthy: 'na', explain: 'very long prefix does not attack much traffic and are likely to be triggered by normal traffic engineering', apply_to: ['moas', 'submoas', 'edges'] },
];

// Inference catalogue: [id, explanation, suspicion, confidence, labels]
const INF = {
  trWorthy: ['default-tr-worthy', 'no other inferences found, event is traceroute worthy', 80, 50, ['traceroute']],
  notWorthy: ['default-not-tr-worthy', 'no other inferences found, event is not traceroute worthy', 20, 50, ['traceroute']],
  ps1: ['PS-EVENT-01', 'this is a suspicious event PS case 1.', 80, 80, ['suspicious']],
  ps2: ['PS-EVENT-02', 'this is a suspicious event PS case 2.', 80, 80, ['suspicious']],
  badAsn: ['blocklisted-asn', 'a newcomer is on the blocklist or on the Spamhaus ASN-DROP list', 95, 90, ['suspicious']],
  fatFinger: ['fat-finger-origin', 'newcomer ASN has small edit distance to the victim ASN', 60, 80, ['fatfinger']],
  rpkiInvalid: ['rpki-invalid-newcomer', 'newcomer announcement is RPKI invalid', 90, 70, ['suspicious']],
  leak: ['potential-route-leak', 'new edge looks like a route leak', 70, 60, ['route-leak']],
  privAsn: ['due-to-private-asn', 'The event is caused by private ASNs', 1, 99, ['benign']],
  asTrans: ['due-to-as-trans', "The event is caused by AS23456 - Probably an artifact. We currently don'tsupport translating this ASN", 1, 99, ['benign']],
  reserved: ['misconfig-private-prefix', 'Reserved prefix announcements cannot (should not) attract traffic, likely to be caused by misconfiguration', 2, 99, ['misconfig']],
  transition: ['moas-transition', 'prefix moved from one origin to another', 10, 90, ['benign']],
  siblings: ['oldcomer-newcomer-siblings', 'newcomer and victim are siblings or friends', 5, 90, ['benign']],
  allNew: ['all-newcomers', 'all origins are newcomers, no victim', 15, 70, ['benign']],
  verySpecific: ['very-specific-prefix', 'prefix more specific than /24, likely blackholing', 30, 60, ['misconfig']],
  grey: ['unclassified', 'no decisive evidence either way', 50, 40, ['grey']],
  greyHigh: ['newcomer-upstream-anomaly', 'newcomer is an unusual upstream of the victim', 65, 45, ['grey']],
};
const inference = (key) => {
  const [inference_id, explanation, suspicion_level, confidence, labels] = INF[key];
  return { inference_id, explanation, suspicion_level, confidence, labels: labels.slice() };
};
function rankInferences(list) {
  // Inference.__lt__: confidence first, then suspicion; sorted descending
  return list.sort((a, b) => b.confidence - a.confidence || b.suspicion_level - a.suspicion_level);
}

const TIER1 = [3356, 1299, 174, 3257, 2914, 6762, 6939, 701, 7018];
const COLLECTOR_PEERS = [3356, 1299, 174, 6939, 3257, 2914, 6762, 13335, 20940, 6830, 9009, 3320, 2856, 4637, 37100];

function asinfoFor(rng, asns) {
  const out = {};
  for (const a of asns) {
    const as = AS_BY_NUM[a];
    out[String(a)] = as
      ? {
          asrank: {
            asn: String(as.asn),
            asnName: as.name,
            rank: as.rank,
            organization: { orgId: as.orgId, orgName: as.org, country: { iso: as.cc, name: as.countryName } },
          },
          hegemony: Number(rng.float(0, as.rank < 50 ? 0.3 : 0.02).toFixed(6)),
        }
      : { asrank: null, hegemony: 0 };
  }
  return out;
}

function aspathsTo(rng, origin, n, via = null) {
  const paths = [];
  for (let i = 0; i < n; i++) {
    const peer = rng.pick(COLLECTOR_PEERS);
    const mid = rng.chance(0.6) ? [rng.pick(TIER1)] : [];
    const hops = [peer, ...mid];
    if (via) hops.push(via);
    hops.push(origin);
    const dedup = hops.filter((h, k) => k === 0 || h !== hops[k - 1]);
    if (rng.chance(0.08)) dedup.push(origin); // prepending
    paths.push(dedup.join(' '));
  }
  return paths.join(':');
}

// Real events weigh ~9 KB each even trimmed (one client saw 4.6 MB for 500 events): the collectors see
// each prefix over dozens of peers, and `asinfo` names every AS on those AS paths (the GRIP UI labels
// the nodes of its AS-path graph from it), repeated in every event. The weight is grown from its own
// PRNG stream, after the event itself is drawn, so ids, times, classes and prefixes stay as they were.
const TRANSIT_STEMS = ['NORD', 'ALPINE', 'BALTIC', 'CORAL', 'DELTA', 'EMBER', 'FJORD', 'GRANITE', 'HARBOR', 'IRIS', 'JADE', 'KESTREL', 'LUMEN', 'MERIDIAN', 'NIMBUS', 'ORBIT', 'PRAIRIE', 'QUARTZ', 'RIVER', 'SIERRA', 'TUNDRA', 'UPLINK', 'VERTEX', 'WAVE', 'ZENITH'];
const TRANSIT_TAILS = ['NET', 'LINK', 'TEL', 'COM', 'IX', 'FIBER', 'CARRIER', 'BACKBONE'];
const ORG_KINDS = ['Networks', 'Telecom', 'Communications', 'Internet', 'Broadband', 'Data Centers'];
const ORG_FORMS = ['Ltd', 'LLC', 'S.A.', 'GmbH', 'AB', 'B.V.', 'Inc.', 'S.r.l.'];
/** Transit and peer ASes seen on AS paths only (never an origin, so no search or filter finds them). */
export const PATH_ASES = (() => {
  const rng = stream('grip-path-ases');
  const taken = new Set(ASES.map((a) => a.asn));
  const out = [];
  while (out.length < 260) {
    // Real-looking public ASNs, 16-bit and 32-bit; never a documentation (64496-64511, 65536-65551),
    // private or AS_TRANS (23456) number.
    const asn = rng.chance(0.7) ? rng.int(1000, 63999) : rng.int(131072, 399999);
    if (taken.has(asn) || asn === 23456) continue;
    taken.add(asn);
    const [cc, , countryName] = rng.pick(COUNTRIES);
    const stem = rng.pick(TRANSIT_STEMS);
    const tail = rng.pick(TRANSIT_TAILS);
    const name = `${stem}${tail}-AS${rng.chance(0.3) ? `-${cc}` : ''}`;
    const org = `${stem[0]}${stem.slice(1).toLowerCase()}${tail.toLowerCase()} ${rng.pick(ORG_KINDS)} ${rng.pick(ORG_FORMS)}`;
    out.push({ asn, name, org, cc, countryName, rank: rng.int(60, 60000), orgId: `${stem.slice(0, 4)}${tail.slice(0, 3)}-${rng.int(1, 9999)}-${rng.pick(['ARIN', 'RIPE', 'APNIC', 'LACNIC', 'AFRINIC'])}` });
  }
  return out;
})();
const PATH_AS_BY_NUM = Object.fromEntries(PATH_ASES.map((a) => [a.asn, a]));
const PEER_POOL = [...COLLECTOR_PEERS, ...PATH_ASES.slice(0, 70).map((a) => a.asn)];
const TRANSIT_POOL = PATH_ASES.slice(40).map((a) => a.asn);

/** More collector paths towards each origin already on `paths` (an `aspaths` string). */
function widenPaths(wrng, paths) {
  if (!paths) return paths;
  const list = paths.split(':');
  const origins = [...new Set(list.map((p) => p.split(' ').at(-1)))];
  const extra = [];
  for (const origin of origins) {
    const n = wrng.int(3, 6);
    for (let i = 0; i < n; i++) {
      const hops = [wrng.pick(PEER_POOL)];
      if (wrng.chance(0.55)) hops.push(wrng.pick(TIER1));
      for (let k = wrng.int(0, 2); k > 0; k--) hops.push(wrng.pick(TRANSIT_POOL));
      hops.push(Number(origin));
      extra.push(hops.filter((h, k) => k === 0 || h !== hops[k - 1]).join(' '));
    }
  }
  return [...list, ...extra].join(':');
}

/**
 * Widens the AS paths of the first prefix events in place (the edge-carrying subset stays as drawn);
 * the rest of a big event is seen by the same peers, so it adds no AS.
 */
function widenPfxEvents(wrng, pfxEvents) {
  for (const pe of pfxEvents.slice(0, 3)) {
    for (const k of ['aspaths', 'super_aspaths', 'sub_aspaths']) if (typeof pe.details[k] === 'string') pe.details[k] = widenPaths(wrng, pe.details[k]);
  }
}

/** Every AS on the prefix events' AS paths, in order of first appearance. */
function pathAses(pfxEvents) {
  const seen = new Set();
  for (const pe of pfxEvents) {
    for (const k of ['aspaths', 'super_aspaths', 'sub_aspaths', 'aspaths_with_newedge']) {
      for (const path of String(pe.details[k] ?? '').split(':')) for (const a of path.split(' ')) if (/^\d+$/.test(a)) seen.add(Number(a));
    }
  }
  return [...seen];
}

function pathAsinfo(wrng, asns) {
  const out = {};
  for (const a of asns) {
    const as = PATH_AS_BY_NUM[a] ?? AS_BY_NUM[a];
    if (!as) continue;
    out[String(a)] = {
      asrank: { asn: String(as.asn), asnName: as.name, rank: as.rank, organization: { orgId: as.orgId, orgName: as.org, country: { iso: as.cc, name: as.countryName } } },
      hegemony: Number(wrng.float(0, 0.05).toFixed(6)),
    };
  }
  return out;
}

function pickOrigin(rng, pool) {
  return rng.pick(pool).asn;
}

/** A prefix-event for the given type (GRIP-CORE PfxEvent.as_dict, incl. AS paths). */
function pfxEventFor(rng, type, ev, spec) {
  const { victim, attackers, v6 } = spec;
  const vAs = AS_BY_NUM[victim];
  let details;
  if (type === 'moas') {
    const prefix = v6 ? v6Prefix(rng, vAs, rng.pick([32, 36, 40, 48])) : v4Prefix(rng, vAs, rng.pick([24, 24, 24, 22, 23, 20]));
    const origins = [victim, ...attackers].map(String);
    details = {
      prefix,
      origins,
      old_origins: [String(victim)],
      new_origins: attackers.map(String),
      aspaths: [aspathsTo(rng, victim, rng.int(2, 4)), ...attackers.map((a) => aspathsTo(rng, a, rng.int(1, 3)))].join(':'),
    };
  } else if (type === 'submoas') {
    const superLen = v6 ? 32 : rng.pick([16, 19, 20, 22]);
    const superPfx = v6 ? v6Prefix(rng, vAs, 32) : v4Prefix(rng, vAs, superLen);
    const subPfx = v6 ? subOf(rng, superPfx, 48) : subOf(rng, superPfx, 24);
    details = {
      super_pfx: superPfx,
      sub_pfx: subPfx,
      super_origins: [String(victim)],
      sub_origins: attackers.map(String),
      super_old_origins: [String(victim)],
      sub_old_origins: [],
      super_new_origins: [],
      sub_new_origins: attackers.map(String),
      super_aspaths: aspathsTo(rng, victim, rng.int(2, 4)),
      sub_aspaths: attackers.map((a) => aspathsTo(rng, a, rng.int(1, 3))).join(':'),
    };
  } else if (type === 'defcon') {
    const superPfx = v6 ? v6Prefix(rng, vAs, 32) : v4Prefix(rng, vAs, rng.pick([16, 20, 22]));
    const subPfx = v6 ? subOf(rng, superPfx, 48) : subOf(rng, superPfx, rng.pick([24, 24, 25]));
    details = {
      super_pfx: superPfx,
      sub_pfx: subPfx,
      origins: [String(victim)],
      old_origins: [String(victim)],
      new_origins: [],
      super_aspaths: aspathsTo(rng, victim, rng.int(2, 4)),
      sub_aspaths: aspathsTo(rng, victim, rng.int(1, 3), attackers[0]),
    };
  } else {
    const [as1, as2] = spec.edge;
    const prefix = v6 ? v6Prefix(rng, AS_BY_NUM[as2] ?? vAs, 32) : v4Prefix(rng, AS_BY_NUM[as2] ?? vAs, 24);
    const withEdge = aspathsTo(rng, as2, rng.int(1, 3), as1);
    details = { prefix, as1: String(as1), as2: String(as2), aspaths: [aspathsTo(rng, as2, 2), withEdge].join(':'), aspaths_with_newedge: withEdge };
  }
  return {
    event_type: type,
    view_ts: ev.view_ts,
    finished_ts: ev.finished_ts,
    position: ev.position,
    details,
    traceroutes: { worthy: spec.trWorthy, worthy_tags: spec.trWorthy ? [spec.worthyTag] : [], msms: [] },
    attackers: type === 'edges' ? [] : type === 'defcon' ? [] : attackers.map(String),
    victims: type === 'edges' ? [] : [String(victim)],
    tags: spec.tags.map((name) => ({ name })),
    inferences: spec.inferences.map((i) => ({ ...i, labels: i.labels.slice() })),
    extra: {},
  };
}

function subOf(rng, superPfx, len) {
  const [addr, l] = superPfx.split('/');
  const sl = Number(l);
  len = Math.min(Math.max(len, sl + 1), addr.includes(':') ? 64 : 32);
  if (addr.includes(':')) {
    const g = v6ToGroups(addr);
    for (let bit = sl; bit < len; bit++) if (rng.chance(0.5)) g[Math.floor(bit / 16)] |= 1 << (15 - (bit % 16));
    return `${groupsToV6(g)}/${len}`;
  }
  const b = v4ToInt(addr);
  const idx = rng.int(0, 2 ** (len - sl) - 1);
  return `${intToV4(b + idx * 2 ** (32 - len))}/${len}`;
}

/** Traceroute hops as grip-core stores them: `{ "1": {rtt, addr, asn, ttl}, … }`. */
function atlasHops(n, reachedAddr) {
  const hops = {};
  for (let h = 1; h <= n; h++) {
    const last = h === n;
    const addr = last ? (reachedAddr ?? '*') : h === 1 ? '192.168.0.1' : `10.${h}.0.1`;
    hops[h] = { rtt: addr === '*' ? 0.0 : Number((h * 1.7).toFixed(3)), addr, asn: '*', ttl: addr === '*' ? 255 : 64 - h };
  }
  return hops;
}

function atlasMsm(rng, evId, pfx, ts) {
  const msm = 60000000 + rng.int(0, 9999999);
  const probes = Array.from({ length: rng.int(1, 3) }, () => rng.int(1000, 1009999));
  const dst = pfx.split('/')[0].replace(/\.0$/, '.1');
  return {
    event_id: evId,
    msm_id: msm,
    request_error: null,
    probe_ids: probes,
    results: probes.map((prb) => {
      const start = ts + rng.int(300, 900);
      const asTraceroute = [String(rng.pick(COLLECTOR_PEERS)), String(rng.pick(TIER1))];
      const src = `192.168.${rng.int(0, 255)}.${rng.int(2, 254)}`;
      const endtime = start + rng.int(5, 60);
      const hopCount = rng.int(6, 18);
      const ipReached = rng.chance(0.6);
      const pfxReached = rng.chance(0.8);
      return {
        as_traceroute: asTraceroute,
        dst,
        msm_id: msm,
        src,
        endtime,
        prb_id: prb,
        // grip-core's extract_atlas_response: a dict keyed by hop number, "*" where none answered.
        hops: atlasHops(hopCount, ipReached ? dst : null),
        target_ip_reached: ipReached,
        target_pfx_reached: pfxReached,
        starttime: start,
      };
    }),
  };
}

function genGrip(anchor) {
  const rng = stream('grip');
  const wrng = stream('grip-weight');
  const events = [];
  const origins = ASES.filter((a) => a.asn !== 36040);
  const bad = ASES.filter((a) => BLOCKLIST.includes(a.asn) || ASNDROP.includes(a.asn));
  const total = 2480;
  const typeOf = () => rng.weighted([['moas', 40], ['submoas', 25], ['defcon', 10], ['edges', 25]]);
  const usedIds = new Set();
  for (let i = 0; i < total; i++) {
    const type = typeOf();
    // 36 in the last 23 h, the rest over 60 days; 5-minute bins
    const off = i < 36 ? rng.int(1, 23 * 12) * 300 : rng.int(1, 60 * 288) * 300;
    const viewTs = Math.floor((anchor - off) / 300) * 300;
    const cls = rng.weighted([['suspicious', 24], ['grey', 30], ['benign', 46]]);
    const v6 = rng.chance(0.12);
    let victim = pickOrigin(rng, origins);
    let attackers = [];
    let edge = null;
    const isBad = cls === 'suspicious' && rng.chance(0.45);
    const attackerPool = isBad ? bad : origins;
    if (type === 'moas' || type === 'submoas') {
      const n = rng.chance(0.12) ? 2 : 1;
      while (attackers.length < n) {
        const a = pickOrigin(rng, attackerPool);
        if (a !== victim && !attackers.includes(a)) attackers.push(a);
      }
    } else if (type === 'defcon') {
      attackers = [pickOrigin(rng, attackerPool)];
    } else {
      const as1 = isBad ? pickOrigin(rng, bad) : rng.chance(0.4) ? rng.pick(TIER1) : pickOrigin(rng, origins);
      let as2 = pickOrigin(rng, origins);
      while (as2 === as1) as2 = pickOrigin(rng, origins);
      edge = [as1, as2];
      victim = as2;
      attackers = [as1];
    }
    // tags and inferences by class
    const tags = new Set();
    let infs = [];
    const badInvolved = [victim, ...attackers].some((a) => BLOCKLIST.includes(a) || ASNDROP.includes(a));
    if (v6) tags.add('ipv6-prefix');
    if (type === 'moas') {
      tags.add(rng.pick(['not-previously-announced-by-any-newcomer', 'previously-announced-by-all-newcomers', 'previously-announced-by-some-newcomers']));
      if (rng.chance(0.2)) tags.add('moas-potential-convergence');
    } else if (type === 'submoas') {
      tags.add('newcomer-more-specific');
      tags.add(rng.pick(['all-newcomer-pfxs', 'single-Tier-1-upstream-on-subpaths-1-hop', 'not-previously-announced']));
    } else if (type === 'defcon') {
      tags.add(rng.pick(['no-common-monitors', 'superpaths-include-subpaths']));
      tags.add(rng.pick(['sub-path-shorter', 'sub-path-longer', 'sub-path-equal']));
    } else {
      tags.add(rng.pick(['new-bidirectional', 'adj-previously-observed-opposite', 'adj-previously-observed-exact']));
      tags.add(rng.pick(['all-new-edge-at-origin', 'no-new-edge-at-origin', 'all-new-edge-at-collectors']));
      if (TIER1.includes(edge[0])) tags.add('new-edge-connected-to-Tier-1');
    }
    if (attackers.some((a) => BLOCKLIST.includes(a))) tags.add('blacklist-asn');
    if (attackers.some((a) => ASNDROP.includes(a))) tags.add('spamhaus-asn-drop');
    if (cls === 'suspicious') {
      if (badInvolved) infs.push(inference('badAsn'));
      else infs.push(inference(rng.pick(type === 'edges' ? ['leak', 'ps1'] : ['ps1', 'ps2', 'rpkiInvalid', 'fatFinger', 'trWorthy'])));
      if (infs[0].inference_id === 'rpki-invalid-newcomer') tags.add('rpki-all-newcomer-invalid-roa');
      if (infs[0].inference_id === 'fat-finger-origin') tags.add('origin-small-edit-distance');
      if (rng.chance(0.3)) infs.push(inference('grey'));
    } else if (cls === 'grey') {
      infs.push(inference(rng.pick(['grey', 'greyHigh', 'verySpecific', 'leak'])));
      if (infs[0].inference_id === 'very-specific-prefix') tags.add('long-prefix');
      if (rng.chance(0.25)) infs.push(inference('notWorthy'));
    } else {
      const k = rng.pick(type === 'moas' ? ['transition', 'siblings', 'allNew', 'privAsn', 'notWorthy'] : ['siblings', 'allNew', 'notWorthy', 'reserved', 'asTrans']);
      infs.push(inference(k));
      if (k === 'transition') tags.add('moas-transition');
      if (k === 'siblings') tags.add('oldcomer-newcomer-some-siblings');
      if (k === 'allNew') tags.add('all-newcomers');
      if (k === 'privAsn') tags.add('due-to-private-asn');
      if (k === 'asTrans') tags.add('has-as-trans');
      if (k === 'reserved') tags.add('reserved-space');
      if (rng.chance(0.3)) tags.add('recurring-pfx-event');
    }
    // vary the suspicion a little around the catalogue value, within 0..100
    for (const inf of infs) inf.suspicion_level = Math.max(0, Math.min(100, inf.suspicion_level + rng.pick([0, 0, 0, -5, 5, 10])));
    infs = rankInferences(infs);
    const noInference = rng.chance(0.02);
    const finishedPosition = !noInference && rng.chance(0.01);
    const ongoing = off < 2 * DAY ? rng.chance(0.3) : rng.chance(0.02);
    const duration = ongoing ? null : rng.weighted([[300, 30], [rng.int(2, 12) * 300, 35], [rng.int(12, 288) * 300, 25], [rng.int(288, 2016) * 300, 10]]);
    const finishedTs = ongoing ? null : viewTs + duration;
    const trWorthy = cls === 'suspicious' && !v6 ? true : cls === 'grey' ? rng.chance(0.3) : false;
    const idAses =
      type === 'submoas'
        ? `${[String(victim)].sort().join('_')}=${attackers.map(String).sort().join('_')}`
        : type === 'edges'
          ? `${edge[0]}_${edge[1]}`
          : type === 'defcon'
            ? String(victim)
            : [...new Set([victim, ...attackers].map(String))].sort().join('_');
    let id = `${type}-${viewTs}-${idAses}`;
    if (usedIds.has(id)) continue;
    usedIds.add(id);
    const ev = { id, event_type: type, position: finishedPosition ? 'FINISHED' : 'NEW', view_ts: viewTs, finished_ts: finishedTs };
    const nPfx = rng.weighted([[1, 70], [2, 15], [rng.int(3, 6), 12], [rng.int(12, 30), 3]]);
    const spec = {
      victim,
      attackers,
      edge,
      v6,
      tags: tags.size ? [...tags] : ['notags'],
      inferences: noInference ? [] : infs,
      trWorthy,
      worthyTag: [...tags][0] ?? 'notags',
    };
    const pfxEvents = [];
    const seenPfx = new Set();
    for (let k = 0; k < nPfx; k++) {
      const pe = pfxEventFor(rng, type, ev, spec);
      const key = JSON.stringify([pe.details.prefix, pe.details.sub_pfx, pe.details.super_pfx]);
      if (seenPfx.has(key)) continue;
      seenPfx.add(key);
      if (trWorthy && k === 0 && rng.chance(0.6)) pe.traceroutes.msms.push(atlasMsm(rng, id, pe.details.prefix ?? pe.details.sub_pfx, viewTs));
      pfxEvents.push(pe);
    }
    widenPfxEvents(wrng, pfxEvents);
    events.push(assembleEvent(rng, ev, pfxEvents, { type, trWorthy, insertDelay: rng.int(60, 1500), noInference, wrng }));
  }
  // The recorded IHR sample (moas-1691663100-328892_60064), completed consistently with its values.
  events.push(sampleGripEvent(rng));
  events.sort((a, b) => b.view_ts - a.view_ts || (a.id < b.id ? -1 : 1));
  return events;
}

function assembleEvent(rng, ev, pfxEvents, { trWorthy, insertDelay, noInference, wrng = null }) {
  const prefixes = new Set();
  const ases = new Set();
  const newcomers = new Set();
  const tagNames = new Set();
  const attackers = new Set();
  const victims = new Set();
  const infMap = new Map();
  for (const pe of pfxEvents) {
    const d = pe.details;
    for (const p of [d.prefix, d.sub_pfx, d.super_pfx]) if (p) prefixes.add(p);
    const cur = d.origins ?? [...(d.super_origins ?? []), ...(d.sub_origins ?? [])];
    for (const a of cur.length ? cur : [d.as1, d.as2].filter(Boolean)) ases.add(a);
    for (const a of d.new_origins ?? d.sub_new_origins ?? []) newcomers.add(a);
    for (const t of pe.tags) tagNames.add(t.name);
    for (const a of pe.attackers) attackers.add(a);
    for (const v of pe.victims) victims.add(v);
    for (const i of pe.inferences) infMap.set(`${i.inference_id}.${i.confidence}`, i);
  }
  const inferences = rankInferences([...infMap.values()].map((i) => ({ ...i, labels: i.labels.slice() })));
  const perTag = {};
  for (const pe of pfxEvents) for (const t of pe.tags) perTag[t.name] = (perTag[t.name] ?? 0) + 1;
  const lastMod = (ev.finished_ts ?? ev.view_ts) + rng.int(300, 3000);
  const allAses = [...new Set([...ases, ...attackers, ...victims].map(Number))];
  return {
    id: ev.id,
    event_type: ev.event_type,
    position: ev.position,
    pfx_events: pfxEvents,
    view_ts: ev.view_ts,
    finished_ts: ev.finished_ts,
    insert_ts: ev.view_ts + insertDelay,
    last_modified_ts: lastMod,
    tr_metrics: {
      max_pfx_events: 3,
      max_event_ases: 2,
      max_vps_per_event_as: 5,
      tr_worthy: trWorthy,
      tr_skipped: false,
      tr_worthy_tags: trWorthy ? [[[...tagNames][0]]] : [],
      tr_skip_reason: '',
      selected_vp_cnt: trWorthy ? rng.int(2, 10) : 0,
      selected_unique_vp_cnt: trWorthy ? rng.int(1, 5) : 0,
      total_event_as_cnt: ases.size,
      selected_event_as_cnt: trWorthy ? Math.min(2, ases.size) : 0,
      tr_worthy_pfx_event_cnt: pfxEvents.filter((p) => p.traceroutes.worthy).length,
      selected_pfx_event_cnt: trWorthy ? Math.min(3, pfxEvents.length) : 0,
      tr_request_cnt: pfxEvents.reduce((s, p) => s + p.traceroutes.msms.length, 0),
      tr_request_failure_cnt: 0,
    },
    event_metrics: {
      pfx_events_cnt: pfxEvents.length,
      per_tag_cnt: Object.entries(perTag).map(([name, count]) => ({ name, count })),
      total_tags_cnt: tagNames.size,
      pfx_events_with_tr_cnt: pfxEvents.filter((p) => p.traceroutes.msms.some((m) => m.results.length)).length,
      proc_time_tagger: Number(rng.float(0.01, 4).toFixed(6)),
      proc_time_driver: Number(rng.float(0, 2).toFixed(6)),
      proc_time_inference: Number(rng.float(0.001, 0.2).toFixed(6)),
    },
    summary: {
      prefixes: [...prefixes],
      ases: [...ases],
      newcomers: [...newcomers],
      tags: [...tagNames].map((name) => ({ name })),
      tr_worthy: trWorthy,
      inference_result: { inferences, primary_inference: noInference || !inferences.length ? null : { ...inferences[0], labels: inferences[0].labels.slice() } },
      attackers: [...attackers],
      victims: [...victims],
    },
    duration: ev.finished_ts === null ? null : ev.finished_ts - ev.view_ts,
    asinfo: { ...(wrng ? pathAsinfo(wrng, pathAses(pfxEvents)) : {}), ...asinfoFor(rng, allAses) },
    debug: {},
  };
}

function sampleGripEvent(rng) {
  const [s] = readJson('grip/events-data-element-trimmed-ihr.json');
  const origins = ['328892', '60064'];
  const inf = { inference_id: 'default-tr-worthy', explanation: 'no other inferences found, event is traceroute worthy', suspicion_level: s.summary.inference_result.primary_inference.suspicion_level, confidence: 50, labels: ['traceroute'] };
  const pe = {
    event_type: 'moas',
    view_ts: s.view_ts,
    finished_ts: s.finished_ts,
    position: 'NEW',
    details: {
      prefix: '196.22.132.0/24',
      origins,
      old_origins: ['34467'],
      new_origins: origins,
      aspaths: '3356 37100 34467:6939 37100 34467:1299 60064:174 3356 328892',
    },
    traceroutes: { worthy: true, worthy_tags: ['not-previously-announced-by-any-newcomer'], msms: [] },
    attackers: origins,
    victims: s.summary.victims.slice(),
    tags: [{ name: 'not-previously-announced-by-any-newcomer' }, { name: 'all-newcomers-stub-ases' }],
    inferences: [inf],
    extra: {},
  };
  const ev = assembleEvent(rng, { id: s.id, event_type: s.event_type, position: 'NEW', view_ts: s.view_ts, finished_ts: s.finished_ts }, [pe], {
    trWorthy: s.summary.tr_worthy,
    insertDelay: s.insert_ts - s.view_ts,
    noInference: false,
  });
  ev.last_modified_ts = s.last_modified_ts;
  ev.summary.victims = s.summary.victims.slice();
  return ev;
}

function gripTags() {
  return {
    definitions: Object.fromEntries(Object.entries(GRIP_TAGS).map(([k, [definition, comments]]) => [k, { definition, comments }])),
    tr_worthy: GRIP_TR_WORTHY,
  };
}

// ---------------------------------------------------------------------------------------------
// IODA

const IODA_DS = {
  bgp: { fqid: 'bgp.v4.visibility_threshold.min_50%_ff_peer_asns.visible_slash24_cnt', methods: ['median', 'sarima'], scale: 1 },
  'ping-slash24': { fqid: 'ping-slash24.team-1.probers.all.up_slash24_cnt', methods: ['median', 'sarima'], scale: 1 },
  'merit-nt': { fqid: 'merit-nt.non-erratic.uniq_src_ip', methods: ['median'], scale: 1 },
  gtr: { fqid: 'gtr.WEB_SEARCH.traffic', methods: ['sarima'], scale: 1_000_000 },
};
export const IODA_DATASOURCES = Object.keys(IODA_DS);

function iodaEntities() {
  const entities = [];
  const regionsOf = {};
  for (const [code, name, iso2, ne] of REGIONS) (regionsOf[iso2] ??= []).push(code);
  for (const [iso2, , name, cont] of COUNTRIES) {
    entities.push({ code: iso2, name, type: 'country', subnames: [], attrs: { fqid: `geo.netacuity.${cont}.${iso2}` }, _related: { region: regionsOf[iso2] ?? [], asn: [] } });
  }
  const byCode = Object.fromEntries(entities.map((e) => [e.code, e]));
  for (const [code, name, iso2, ne] of REGIONS) {
    const c = COUNTRY[iso2];
    entities.push({
      code,
      name,
      type: 'region',
      subnames: [],
      attrs: { fqid: `geo.netacuity.${c.cont}.${iso2}.${code}`, country_code: iso2, country_name: c.name, ne_region_id: String(ne) },
      _related: { country: [iso2] },
    });
  }
  for (const as of ASES) {
    if (as.asn >= 64496) continue;
    entities.push({
      code: String(as.asn),
      name: `AS${as.asn} (${as.name})`,
      type: 'asn',
      subnames: [],
      attrs: { fqid: `asn.${as.asn}`, name: as.name, org: as.org, ip_count: String(as.ipCount) },
      _related: { country: COUNTRY[as.cc] ? [as.cc] : [] },
    });
    if (byCode[as.cc]) byCode[as.cc]._related.asn.push(String(as.asn));
  }
  return entities;
}

function genIoda(anchor, entities) {
  const rng = stream('ioda');
  const pick = (type, codes) => codes.map((c) => entities.find((e) => e.type === type && e.code === c)).filter(Boolean);
  const focus = [
    ...pick('country', ['NO', 'US', 'IQ', 'IR', 'SY', 'SD', 'ET', 'MM', 'CU', 'UA', 'RU', 'VE', 'PK', 'GA']),
    ...pick('region', ['1870', '1859', '1861', '1866', '2545', '2547', '4416', '3105', '1402', '3501', '2012', '2101']),
    ...pick('asn', ['3307', '36040', '1299', '2119', '58224', '50710', '29256', '15706', '24757', '136255', '27725', '12389', '9121', '33771', '23657']),
  ];
  const others = entities.filter((e) => !focus.includes(e) && rng.chance(e.type === 'country' ? 0.6 : 0.5));
  const pool = [...focus, ...focus, ...others];
  const alerts = [];
  const seriesState = new Map(); // series key -> { lastEnd, method }
  const nOutages = 900;
  const outages = [];
  for (let i = 0; i < nOutages; i++) {
    const ent = i < 40 ? focus[i % focus.length] : rng.pick(pool);
    const ds = rng.weighted([['bgp', 38], ['ping-slash24', 34], ['merit-nt', 18], ['gtr', ent.type === 'country' ? 10 : 0]]);
    // 40 outages start in the last 23 h, the rest over 30 days
    const start = Math.floor((anchor - (i < 40 ? rng.int(600, 23 * HOUR) : rng.int(HOUR, 30 * DAY))) / 600) * 600;
    outages.push({ ent, ds, start });
  }
  outages.sort((a, b) => a.start - b.start);
  for (const { ent, ds, start } of outages) {
    const key = `${IODA_DS[ds].fqid}|${ent.type}|${ent.code}`;
    let st = seriesState.get(key);
    if (!st) {
      st = { lastEnd: 0, method: rng.chance(0.78) ? IODA_DS[ds].methods[0] : rng.pick(IODA_DS[ds].methods), base: baseValue(rng, ent, ds) };
      seriesState.set(key, st);
    }
    if (st.open || start <= st.lastEnd + 600) continue; // keep one series' alerts in valid N->W->C->N order
    const hist = st.base;
    const shape = rng.weighted([['WCN', 30], ['CN', 45], ['WN', 25]]);
    let t = start;
    const mk = (level) => {
      const ratio = level === 'critical' ? rng.float(0.05, 0.48) : level === 'warning' ? rng.float(0.8, 0.97) : rng.float(0.985, 1.03);
      const historyValue = Math.round(hist * rng.float(0.97, 1.03));
      const value = Math.round(historyValue * ratio);
      return {
        fqid: IODA_DS[ds].fqid,
        datasource: ds,
        method: st.method,
        entity: ent,
        time: t,
        level,
        condition: level === 'normal' ? null : '< 0.99',
        value,
        historyValue,
      };
    };
    const ongoing = anchor - start < 12 * HOUR && rng.chance(0.35);
    for (const c of shape) {
      const level = c === 'W' ? 'warning' : c === 'C' ? 'critical' : 'normal';
      if (level === 'normal' && ongoing) {
        st.open = true;
        break;
      }
      if (t > anchor) {
        st.open = true;
        break;
      }
      alerts.push(mk(level));
      st.lastEnd = t;
      t += rng.weighted([[600, 30], [rng.int(2, 6) * 600, 40], [rng.int(6, 72) * 600, 30]]);
    }
  }
  // The recorded IHR sample alert (AS36040, 2023-08-10), values verbatim.
  const [sample] = readJson('ioda/v2-outages-alerts-data-element-ihr.json');
  const yt = entities.find((e) => e.type === 'asn' && e.code === '36040');
  alerts.push({ fqid: IODA_DS.bgp.fqid, datasource: sample.datasource, method: sample.method, entity: yt, time: sample.time, level: sample.level, condition: sample.condition, value: sample.value, historyValue: sample.historyValue });
  alerts.sort((a, b) => a.time - b.time || (a.entity.code < b.entity.code ? -1 : a.entity.code > b.entity.code ? 1 : 0));
  return alerts;
}

function baseValue(rng, ent, ds) {
  const size = ent.type === 'country' ? 1 : ent.type === 'region' ? 0.1 : 0.02;
  const raw = ds === 'gtr' ? rng.float(2e7, 9e8) : ds === 'merit-nt' ? rng.float(200, 40000) : rng.float(40, 60000);
  return Math.max(3, Math.round(raw * size * (ds === 'gtr' ? 1 : 10)));
}

function legacyIodaSample() {
  return readJson('ioda/v1-legacy-watchtower-alerts.json');
}

// ---------------------------------------------------------------------------------------------
// Spamhaus

export const SPAMHAUS_ACCOUNT = { username: 'analyst@example.org', password: 'correct horse battery staple', realm: 'intel', sub: '4815162' };

function genSpamhaus(anchor) {
  const rng = stream('spamhaus');
  const records = [];
  const geo = { asn: '64500', cc: 'NL', lat: 52.3824, lon: 4.8995 };
  const bots = ['mirai', 'gamut', 'necurs', 'emotet', 'qakbot', 'apk.flubot', 'cutwail', 'unknown'];
  const hosts = [114, 3, 7, 12, 19, 23, 41, 56, 77, 88, 101, 130, 154, 177, 201, 222, 250];
  const plan = [...Array(24).fill('XBL'), ...Array(8).fill('BCL'), ...Array(8).fill('CSS')];
  plan.forEach((dataset, i) => {
    const host = i === 0 ? 114 : rng.pick(hosts);
    const ip = `45.150.206.${host}`;
    const live = i < 3 || rng.chance(0.3);
    const listed = live ? anchor - rng.int(HOUR, 5 * DAY) : anchor - rng.int(8 * DAY, 330 * DAY);
    const seen = listed - rng.int(0, 30);
    const validUntil = live ? anchor + rng.int(2 * DAY, 6 * DAY) : listed + rng.int(1, 7) * DAY;
    const base = { ipaddress: ip, dataset, listed, seen, valid_until: Math.min(validUntil, live ? validUntil : anchor - DAY) };
    if (dataset === 'XBL') {
      records.push({
        ...base,
        rule: rng.hex(8),
        heuristic: rng.pick(['SPAMBOT', 'LEGACY', 'IMPERSONATE', 'BRUTEFORCE']),
        botname: rng.pick(bots),
        dstip: `164.90.${rng.int(0, 255)}.${rng.int(1, 254)}`,
        dstport: rng.pick([25, 587, 80, 443, 23]),
        protocol: rng.pick(['TCP', 'tcp']),
        srcip: ip,
        srcport: rng.int(1024, 65535),
        helo: rng.chance(0.5) ? `[${ip}]` : rng.pick(['outlook.com', 'mail.example.net', 'localhost']),
        subject: rng.pick(['Payment from your account.', 'Invoice overdue', 'Your parcel is waiting', '']),
        ...geo,
      });
    } else if (dataset === 'BCL') {
      const b = rng.pick(['apk.flubot', 'win.qakbot', 'win.cobalt_strike', 'elf.mirai']);
      records.push({ ...base, dstport: rng.pick([80, 443, 8080]), botname: b, botname_malpedia: b, abused: rng.chance(0.7), shared: rng.chance(0.2), ...geo });
    } else {
      records.push({
        ...base,
        rule: rng.hex(8),
        detection: rng.pick(['snowshoe spam', 'SMTP impersonation', 'bad reputation HELO']),
        heuristic: 'SNOWSHOE',
        dstport: 25,
        helo: `mail${rng.int(1, 9)}.example-bulk.net`,
        ...geo,
      });
    }
  });
  // The documentation examples, verbatim (their 2020-2022 times need an explicit since/until window) ...
  for (const r of readJson('spamhaus/ip-records-doc-example.repaired.json')) records.push(r);
  const sia = [
    { dataset: 'XBL', ipaddress: '74.77.66.227', asn: '11351', cc: 'US', listed: 1606757120, seen: 1606757113, valid_until: 1607361913, rule: '01a400d5', botname: 'unknown', detection: 'SMTP impersonation', dstport: 25, helo: 'outlook.com', heuristic: 'IMPERSONATE', lat: 43.0505, lon: -78.853, srcip: '74.77.66.227' },
    { dataset: 'XBL', ipaddress: '74.77.66.227', asn: '11351', cc: 'US', listed: 1606063971, seen: 1606063960, valid_until: 1606668760, rule: '01a400d5', botname: 'unknown', detection: 'SMTP impersonation', dstport: 25, helo: 'outlook.com', heuristic: 'IMPERSONATE', lat: 43.0505, lon: -78.853, srcip: '74.77.66.227' },
  ];
  records.push(...sia);
  // ... and fresh re-listings of the same addresses, so they also show up in default windows.
  records.push({ ...sia[0], listed: anchor - 3 * DAY, seen: anchor - 3 * DAY - 7, valid_until: anchor + 4 * DAY });
  records.push({ ...sia[0], listed: anchor - 40 * DAY, seen: anchor - 40 * DAY - 11, valid_until: anchor - 33 * DAY });
  const docXbl = readJson('spamhaus/ip-records-doc-example.repaired.json');
  records.push({ ...docXbl[0], listed: anchor - 20 * DAY, seen: anchor - 20 * DAY - 2, valid_until: anchor - 13 * DAY });
  records.push({ ...docXbl[2], listed: anchor - 2 * HOUR, seen: anchor - 2 * HOUR, valid_until: anchor + 6 * HOUR + DAY });
  // IPv6 listings inside 2001:db8:1234:5600::/56
  records.push({ ipaddress: '2001:db8:1234:5600::25', dataset: 'XBL', listed: anchor - 5 * HOUR, seen: anchor - 5 * HOUR - 3, valid_until: anchor + 5 * DAY, rule: rng.hex(8), heuristic: 'SPAMBOT', botname: 'gamut', dstport: 25, protocol: 'TCP', srcip: '2001:db8:1234:5600::25', helo: 'mx.example-bulk.net', ...geo });
  records.push({ ipaddress: '2001:db8:1234:5642::7', dataset: 'CSS', listed: anchor - 60 * DAY, seen: anchor - 60 * DAY - 9, valid_until: anchor - 50 * DAY, rule: rng.hex(8), detection: 'snowshoe spam', heuristic: 'SNOWSHOE', dstport: 25, helo: 'mail3.example-bulk.net', ...geo });
  records.push({ ipaddress: '2001:db8:1234:56ff::1', dataset: 'BCL', listed: anchor - 9 * DAY, seen: anchor - 9 * DAY, valid_until: anchor - 8 * DAY, dstport: 443, botname: 'elf.mirai', botname_malpedia: 'elf.mirai', abused: true, shared: false, ...geo });
  return records;
}

// ---------------------------------------------------------------------------------------------

/** Rounds a millisecond time down to the hour, in Unix seconds. */
export function anchorFrom(ms = Date.now()) {
  return Math.floor(ms / 3_600_000) * 3600;
}

/**
 * Builds every data set. `anchor` is Unix seconds (or ms, or a Date); default: now rounded down
 * to the hour.
 */
export function generate({ anchor } = {}) {
  let a;
  if (anchor === undefined || anchor === null) a = anchorFrom();
  else if (anchor instanceof Date) a = anchorFrom(anchor.getTime());
  else if (anchor > 1e11) a = anchorFrom(anchor);
  else a = Math.floor(anchor / 3600) * 3600;
  const entities = iodaEntities();
  return {
    anchor: a,
    spoofer: { sessions: genSpoofer(a) },
    grip: { events: genGrip(a), tags: gripTags(), blocklist: BLOCKLIST.slice(), asndrop: ASNDROP.slice() },
    ioda: {
      entities,
      alerts: genIoda(a, entities),
      legacySample: legacyIodaSample(),
      summarySample: readJson('ioda/v2-outages-summary-county-santa-clara.json'),
      signalSamples: {
        'upstream-delay-penult-asns': readJson('ioda/v2-signals-raw-asn1299-upstream-delay-penult-asns.json'),
        'upstream-delay-penult-e2e-latency': readJson('ioda/v2-signals-raw-asn1299-upstream-delay-e2e-latency.json'),
      },
      datasources: IODA_DATASOURCES.slice(),
      fqids: Object.fromEntries(Object.entries(IODA_DS).map(([k, v]) => [k, v.fqid])),
    },
    spamhaus: { records: genSpamhaus(a), account: { ...SPAMHAUS_ACCOUNT } },
  };
}
