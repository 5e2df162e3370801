/**
 * The console's places, kept in the URL's hash so that reload, back/forward and bookmarks work and
 * the server only ever serves `index.html`:
 *
 * | hash | view |
 * |---|---|
 * | `#/` | the bucket list |
 * | `#/b/<bucket>?prefix=<prefix>` | a bucket's folder `prefix` (`''` = its root) |
 * | `#/o/<bucket>?key=<key>` | one object's details |
 */
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { readonly view: 'buckets' }
  | { readonly view: 'browse'; readonly bucket: string; readonly prefix: string }
  | { readonly view: 'object'; readonly bucket: string; readonly key: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/([bo])\/([^?/]+)(?:\?(.*))?$/.exec(hash);
  if (!m) return { view: 'buckets' };
  const bucket = decodeURIComponent(m[2]!);
  const params = new URLSearchParams(m[3] ?? '');
  return m[1] === 'b'
    ? { view: 'browse', bucket, prefix: params.get('prefix') ?? '' }
    : { view: 'object', bucket, key: params.get('key') ?? '' };
}

/** The hash of a place (for `href`s). */
export function hrefOf(route: Route): string {
  switch (route.view) {
    case 'buckets':
      return '#/';
    case 'browse':
      return `#/b/${encodeURIComponent(route.bucket)}${route.prefix ? `?prefix=${encodeURIComponent(route.prefix)}` : ''}`;
    case 'object':
      return `#/o/${encodeURIComponent(route.bucket)}?key=${encodeURIComponent(route.key)}`;
  }
}

export function navigate(route: Route): void {
  location.hash = hrefOf(route);
}

/** The current place; re-renders on every hash change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
