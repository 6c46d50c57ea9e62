// The response value every service handler returns, and the HTTP reason phrases.

import { STATUS_CODES } from 'node:http';

/** A JSON response; `json` keeps the value so faults can reshape it. */
export function json(status, value, contentType = 'application/json', headers = {}) {
  return { status, headers: { 'Content-Type': contentType, ...headers }, body: JSON.stringify(value), json: value };
}

export function text(status, body, contentType = 'text/plain; charset=utf-8', headers = {}) {
  return { status, headers: { 'Content-Type': contentType, ...headers }, body };
}

export function reason(status) {
  return STATUS_CODES[status] ?? 'Unknown';
}

/** JSON.stringify with object keys sorted recursively (Flask's jsonify sorts keys). */
export function sortedJson(value) {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}
