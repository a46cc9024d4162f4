// The "neutral site" the exit link leads to, on loopback under the name `localhost` (a host other than the
// gateway's 127.0.0.1, so cookies and cache entries of the two never share a key). It is built to be the opposite
// of the gateway, so that the trace inspection has something it must find — a test that could not fail proves
// nothing:
//   - it sets a cookie and allows caching (revalidated on every visit), so the profile must show a cookie and a disk-cache entry for it;
//   - it has a search form without autocomplete="off", so typing into it must leave form history;
//   - it carries an inline script that would change the title, so a title left unchanged proves JavaScript is off.
// It records every request (path and Referer) so tests can check that the exit arrived without a referrer.

import { createServer } from 'node:http';

/** The page title the inline script would set if JavaScript ran. */
export const SCRIPT_RAN_TITLE = 'javascript ran';

/** The neutral page's own title. */
export const NEUTRAL_TITLE = 'Neutral weather page';

const ETAG = '"neutral-1"';

const page = (title, body) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script>document.title = ${JSON.stringify(SCRIPT_RAN_TITLE)};</script></head>
<body><h1>${title}</h1>${body}</body></html>`;

export class NeutralSite {
  static async start() {
    const site = new NeutralSite();
    await new Promise((resolve) => site.server.listen(0, '127.0.0.1', resolve));
    site.port = site.server.address().port;
    site.origin = `http://localhost:${site.port}`;
    return site;
  }

  constructor() {
    /** Every request: `{ path, referer }`. */
    this.requests = [];
    this.server = createServer((request, response) => {
      const url = new URL(request.url, 'http://localhost');
      this.requests.push({ path: url.pathname + url.search, referer: request.headers.referer ?? null });
      if (url.pathname === '/') {
        // Stored in the cache but asked for again on every visit (so every exit is seen here, with its Referer).
        if (request.headers['if-none-match'] === ETAG) {
          response.writeHead(304, { etag: ETAG, 'cache-control': 'no-cache' });
          response.end();
          return;
        }
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-cache',
          etag: ETAG,
          'set-cookie': 'neutral_control=1; Max-Age=3600; Path=/; SameSite=Lax',
        });
        response.end(
          page(
            NEUTRAL_TITLE,
            '<p>Sunny, 18 degrees.</p><form action="/search" method="get"><label for="q">Search</label> ' +
              '<input id="q" name="q" type="text"><button type="submit">Search</button></form>',
          ),
        );
      } else if (url.pathname === '/search') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'max-age=3600' });
        response.end(page('Search results', '<p>No results.</p>'));
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('not found');
      }
    });
  }

  /** The requests for the neutral page itself (where the exit lands). */
  landings() {
    return this.requests.filter((r) => r.path === '/');
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
