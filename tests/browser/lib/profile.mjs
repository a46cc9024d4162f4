// Reading a Firefox profile on disk after the browser has closed, as someone holding the device could: the
// SQLite databases with Debian's sqlite3 (read-only), the disk cache's entries (cache2/entries: the body, then
// the metadata with the entry's key, which holds the URL), the session store (mozlz4: LZ4-compressed JSON,
// decompressed here), and a byte search through every file for strings that must not be there.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Runs a read-only query; rows as objects. A missing database or table gives no rows. */
export function query(database, sql) {
  if (!existsSync(database)) return [];
  try {
    const output = execFileSync('sqlite3', ['-readonly', '-json', database, sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return output.trim() ? JSON.parse(output) : [];
  } catch (error) {
    if (/no such table/.test(String(error.stderr))) return [];
    throw error;
  }
}

/** Decodes one LZ4 block (the format inside mozlz4 files) into at most `size` bytes. */
export function lz4BlockDecode(source, size) {
  const out = Buffer.alloc(size);
  let input = 0;
  let output = 0;
  const length = (initial) => {
    let value = initial;
    if (initial === 15) {
      let byte;
      do {
        byte = source[input++];
        value += byte;
      } while (byte === 255 && input < source.length);
    }
    return value;
  };
  while (input < source.length) {
    const token = source[input++];
    const literals = length(token >> 4);
    source.copy(out, output, input, input + literals);
    input += literals;
    output += literals;
    if (input >= source.length) break;
    const offset = source[input] | (source[input + 1] << 8);
    input += 2;
    if (offset === 0 || offset > output) throw new Error('corrupt LZ4 block');
    const matchLength = length(token & 15) + 4;
    for (let k = 0; k < matchLength; k += 1) {
      out[output] = out[output - offset];
      output += 1;
    }
  }
  return out.subarray(0, output);
}

/** The contents of a mozlz4 file (magic "mozLz40\0", 32-bit little-endian size, one LZ4 block), or null. */
export function readMozLz4(path) {
  const data = readFileSync(path);
  if (data.length < 12 || data.subarray(0, 8).toString('latin1') !== 'mozLz40\0') return null;
  return lz4BlockDecode(data.subarray(12), data.readUInt32LE(8));
}

/** Every file under `dir`, recursively (symbolic links are not followed). */
export function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** The contents of a file as a search sees them: decompressed if mozlz4. */
function searchable(path) {
  if (statSync(path).size > 64 * 1024 * 1024) return Buffer.alloc(0);
  const raw = readFileSync(path);
  if (raw.subarray(0, 8).toString('latin1') === 'mozLz40\0') {
    try {
      return Buffer.concat([raw, readMozLz4(path)]);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * Where each of `needles` occurs in the files under `dirs`, as UTF-8 or UTF-16LE (SQLite may store either):
 * a map from needle to the relative paths of the files that hold it.
 */
export function findInFiles(dirs, needles) {
  const found = new Map(needles.map((needle) => [needle, []]));
  for (const dir of dirs) {
    for (const path of listFiles(dir)) {
      const content = searchable(path);
      for (const needle of needles) {
        if (content.includes(Buffer.from(needle, 'utf8')) || content.includes(Buffer.from(needle, 'utf16le'))) {
          found.get(needle).push(relative(dir, path));
        }
      }
    }
  }
  return found;
}

/** The keys (URLs) of the disk cache's entries, from each entry file's metadata. */
export function cacheEntries(profileDir) {
  const keys = [];
  for (const path of listFiles(join(profileDir, 'cache2', 'entries'))) {
    const text = readFileSync(path).toString('latin1');
    // The key is "<flags>,:<url>" ended by a NUL, e.g. "a,:https://example.org/" or "O^partitionKey=…,a,:http://…".
    for (const match of text.matchAll(/:(https?:\/\/[\x21-\x7e]+)\x00/g)) keys.push(match[1]);
  }
  return keys;
}

/** The session store files and their decoded JSON (current session, backups, recovery). */
export function sessionStores(profileDir) {
  const candidates = [join(profileDir, 'sessionstore.jsonlz4'), ...listFiles(join(profileDir, 'sessionstore-backups'))];
  const stores = [];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const data = readMozLz4(path);
      if (data) stores.push({ file: relative(profileDir, path), json: JSON.parse(data.toString('utf8')) });
    } catch {
      stores.push({ file: relative(profileDir, path), json: null });
    }
  }
  return stores;
}

/** Every URL and title the session store JSON holds, with whether form data is stored for it. */
export function sessionEntries(json) {
  const entries = [];
  const walk = (value) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      if (typeof value.url === 'string') {
        entries.push({ url: value.url, title: value.title ?? null, formdata: Boolean(value.formdata), postdata: Boolean(value.postdata_b64) });
      }
      Object.values(value).forEach(walk);
    }
  };
  walk(json);
  return entries;
}

/** What the profile holds about `origins` (the gateway's) and overall, for the report. */
export function inspectFirefoxProfile(profileDir, { gatewayHost }) {
  const cookies = query(join(profileDir, 'cookies.sqlite'), 'SELECT host, name, path, isSecure FROM moz_cookies');
  const formHistory = query(join(profileDir, 'formhistory.sqlite'), 'SELECT fieldname, value, timesUsed FROM moz_formhistory');
  const places = query(
    join(profileDir, 'places.sqlite'),
    'SELECT url, title, visit_count, hidden, typed FROM moz_places ORDER BY id',
  );
  const visits = query(
    join(profileDir, 'places.sqlite'),
    'SELECT p.url AS url, v.visit_type AS visit_type FROM moz_historyvisits v JOIN moz_places p ON p.id = v.place_id ORDER BY v.id',
  );
  const origins = query(join(profileDir, 'places.sqlite'), 'SELECT prefix, host FROM moz_origins');
  const permissions = query(join(profileDir, 'permissions.sqlite'), 'SELECT origin, type FROM moz_perms');
  const favicons = query(join(profileDir, 'favicons.sqlite'), 'SELECT page_url FROM moz_pages_w_icons');
  const sessions = sessionStores(profileDir).map(({ file, json }) => ({
    file,
    entries: json ? sessionEntries(json).filter((entry) => entry.url.includes(gatewayHost)) : 'unreadable',
  }));
  return { cookies, formHistory, places, visits, origins, permissions, favicons, cache: cacheEntries(profileDir), sessions };
}
