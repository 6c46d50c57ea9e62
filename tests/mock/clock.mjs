// The mock's one clock. Every service reads the time from here, never from `Date.now()` itself, so a
// test that fixes the data's anchor fixes the services' "now" with it: a data set anchored at a past
// hour then behaves as it did at that hour (listings still valid, events not yet in the future),
// whatever the date the suite runs on.

/**
 * `anchorSeconds`: the hour the data was grown from. `null` means the real clock (the e2e suite and
 * `make demo`, whose data is grown from the real now). With an anchor, time starts at the anchor
 * and runs at the real pace from the moment the clock is made.
 */
export function mockClock(anchorSeconds = null) {
  if (anchorSeconds === null || anchorSeconds === undefined) return () => Date.now();
  const start = Date.now();
  const base = anchorSeconds * 1000;
  return () => base + (Date.now() - start);
}
