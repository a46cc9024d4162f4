// What reaches the gateway, seen from the gateway's side: a TLS proxy on loopback with the gateway's own
// development certificate, in front of `porten serve`. The browsers talk to it as if it were the gateway (same
// certificate, so the same trust rules; the Host and Origin headers pass unchanged, so the gateway's origin
// check sees what the browser sent). It records every request that arrives — method, path, status and the
// page it got back — so a test can tell a page shown from the browser's memory (no request) from one the
// gateway answered again. A browser's own log of a request is not enough: both browsers report a "request"
// for a history entry they then only look up in their cache.
//
// The same proxy also stands between `porten-inbox` and the gateway's internal API (mutual TLS): it then shows
// the internal API's certificate to the inbox and the inbox's client certificate to the gateway, and records
// what the inbox sent (`sent`), so a test sees everything that reaches the gateway from the staff side too.

import { createServer, request as httpsRequest, Agent } from 'node:https';
import { readFileSync } from 'node:fs';

export class Recorder {
  /**
   * Starts a proxy to `target` (`https://127.0.0.1:PORT`) with the certificate and key in `certPem`/`keyPem`.
   * `upstream` (PEM paths `{ ca, cert, key }`) is for a target that needs a client certificate: the proxy trusts
   * `ca` for the target and presents `cert` and `key` to it; without it the target's certificate is `certPem`.
   */
  static async start({ target, certPem, keyPem, upstream = null }) {
    const trust = upstream
      ? { ca: readFileSync(upstream.ca), cert: readFileSync(upstream.cert), key: readFileSync(upstream.key) }
      : null;
    const recorder = new Recorder(target, readFileSync(certPem), readFileSync(keyPem), trust);
    await new Promise((resolve) => recorder.server.listen(0, '127.0.0.1', resolve));
    recorder.port = recorder.server.address().port;
    recorder.origin = `https://127.0.0.1:${recorder.port}`;
    return recorder;
  }

  constructor(target, cert, key, trust) {
    const upstream = new URL(target);
    /**
     * Every request that arrived: `{ at, method, path, origin, fetchSite, status, sent, body }` (`sent`: the
     * request's body, `body`: the answer).
     */
    this.requests = [];
    const agent = new Agent({ keepAlive: true, servername: 'localhost', ...(trust ?? { ca: cert }) });
    this.agent = agent;
    this.server = createServer({ cert, key }, (incoming, outgoing) => {
      const entry = {
        at: Date.now(),
        method: incoming.method,
        path: incoming.url,
        // What the gateway's origin check looks at, to tell a refused resend from an accepted one.
        origin: incoming.headers.origin ?? null,
        fetchSite: incoming.headers['sec-fetch-site'] ?? null,
        status: null,
        sent: '',
        body: '',
      };
      this.requests.push(entry);
      const sent = [];
      incoming.on('data', (chunk) => sent.push(chunk));
      incoming.on('end', () => {
        entry.sent = Buffer.concat(sent).toString('utf8');
      });
      const forward = httpsRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
          agent,
        },
        (answer) => {
          entry.status = answer.statusCode;
          outgoing.writeHead(answer.statusCode, answer.headers);
          const chunks = [];
          answer.on('data', (chunk) => {
            chunks.push(chunk);
            outgoing.write(chunk);
          });
          answer.on('end', () => {
            entry.body = Buffer.concat(chunks).toString('utf8');
            outgoing.end();
          });
        },
      );
      forward.on('error', (error) => {
        entry.status = 502;
        entry.body = `proxy: ${error.message}`;
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end();
      });
      incoming.pipe(forward);
    });
  }

  /** The requests that arrived since `mark` (a length of `requests` taken earlier). */
  since(mark) {
    return this.requests.slice(mark);
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
    this.agent.destroy();
  }
}
