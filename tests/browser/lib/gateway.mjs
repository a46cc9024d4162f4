// The gateway and the internal side as real processes on loopback, as an operator would set them up: the
// `porten-inbox` certificates and age identity, a `porten serve` configured with them, `porten-inbox run` pulling
// envelopes into a spool directory, and `porten-inbox reply` to answer a ticket as staff. With `desk`, the inbox
// also serves the staff desk on a loopback port, with teams and partners configured and administrator accounts
// made by `porten-inbox desk add-account` before `run` starts (the desk's database takes one process at a
// time). Everything lives in one temporary directory, removed on stop; every process started here is stopped
// by `stop()`.

import { spawn, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate, createHash } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { Recorder } from './recorder.mjs';

const run = promisify(execFile);

/** The workspace's target directory, where `cargo build -p porten --no-default-features` puts the binaries. */
export const TARGET_DIR = process.env.CARGO_TARGET_DIR
  ? process.env.CARGO_TARGET_DIR
  : new URL('../../../target/', import.meta.url).pathname;

const BIN_DIR = join(TARGET_DIR, process.env.PORTEN_PROFILE ?? 'debug');
const PORTEN = join(BIN_DIR, 'porten');
const INBOX = join(BIN_DIR, 'porten-inbox');

/** Waits for `predicate()` to return a truthy value, polling; throws `what` after `timeoutMs`. */
export async function waitFor(predicate, what, timeoutMs = 20000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Processes started here and still running: killed if the test process exits without stopping them. */
const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts a process whose stderr is kept (the last 200 lines) for error messages. */
function startProcess(path, args) {
  const child = spawn(path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = [];
  const listeners = [];
  let partial = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop();
    for (const line of complete) {
      lines.push(line);
      if (lines.length > 200) lines.shift();
      for (const listener of listeners) listener(line);
    }
  });
  live.add(child);
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, lines, listeners, exited };
}

/** Stops a process with SIGTERM, then SIGKILL after `graceMs`. */
async function stopProcess(proc, graceMs = 10000) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the desk logs its configured address, not a kernel-chosen one). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The one-time enrolment code in a command's output: eight dash-separated groups of four. */
function enrolmentCodeIn(text) {
  return text.split(/[^A-Za-z0-9-]+/).find((word) => word.length === 39 && word.split('-').length === 8) ?? null;
}

/** A TOML string. */
const toml = (value) => JSON.stringify(String(value));

/** The SHA-256 fingerprint (AA:BB:…) and the base64 SHA-256 of the public key (SPKI) of a PEM certificate. */
export function certificateHashes(pemPath) {
  const cert = new X509Certificate(readFileSync(pemPath));
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return {
    fingerprint256: cert.fingerprint256,
    spkiSha256Base64: createHash('sha256').update(spki).digest('base64'),
  };
}

/**
 * A running gateway with its internal side.
 *
 * `origin` is `https://127.0.0.1:PORT`; `certPem` the self-signed development certificate the browsers are told to
 * trust for that origin only. With `record`, `origin` is a `Recorder` in front of the gateway (same certificate),
 * and `recorder.requests` lists every request that reached the gateway.
 *
 * `desk` (`{ administrators: [{ login, displayName }], teams: [{ name, displayName, groups }], partners: [{ name,
 * displayName }] }`) has the inbox serve the staff desk: `deskOrigin` is `https://127.0.0.1:PORT`,
 * `deskCertificate` its development certificate's hashes, and `enrolmentCode(login)` each administrator's one-time
 * code as `desk add-account` printed it. With `desk`, `internal` is a `Recorder` between the inbox and the
 * gateway's internal API: `internal.requests` is everything the staff side sent the gateway.
 */
export class Gateway {
  static async start({ exitUrl, record = false, desk = null }) {
    const dir = mkdtempSync(join(tmpdir(), 'porten-browser-'));
    const gateway = new Gateway(dir);
    try {
      await gateway.#start(exitUrl, desk);
      if (record) {
        gateway.recorder = await Recorder.start({
          target: gateway.origin,
          certPem: gateway.certPem,
          keyPem: join(dir, 'data', 'dev-tls', 'key.pem'),
        });
        gateway.origin = gateway.recorder.origin;
      }
    } catch (error) {
      await gateway.stop();
      throw error;
    }
    return gateway;
  }

  constructor(dir) {
    this.dir = dir;
    this.serve = null;
    this.inbox = null;
    this.recorder = null;
    this.internal = null;
    this.deskOrigin = null;
    this.deskCertificate = null;
    this.deskCodes = new Map();
  }

  async #start(exitUrl, desk) {
    const dir = this.dir;
    await run(INBOX, ['certs', '--out', join(dir, 'certs')]);
    const keygen = await run(INBOX, ['keygen', '--out', join(dir, 'identity.txt')]);
    const recipient = /recipients = \["(age1[0-9a-z]+)"\]/.exec(keygen.stdout)?.[1];
    if (!recipient) throw new Error(`porten-inbox keygen printed no recipient:\n${keygen.stdout}`);
    const certs = (name) => join(dir, 'certs', name);
    const pinned = await run(INBOX, ['pin', '--cert', certs('inbox.pem')]);
    const pin = /client_spki = \["(sha256\/[A-Za-z0-9+/=]+)"\]/.exec(pinned.stdout)?.[1];
    if (!pin) throw new Error(`porten-inbox pin printed no pin:\n${pinned.stdout}`);
    const config = [
      `data_dir = "${join(dir, 'data')}"`,
      '[site]',
      `exit_url = "${exitUrl}"`,
      '[https]',
      'listen = "127.0.0.1:0"',
      '[http]',
      'listen = "127.0.0.1:0"',
      // Many first contacts in a few minutes, all from this one test and one address: the limits are raised out of the way.
      '[limits]',
      'submissions_per_minute = 100000',
      'submission_burst = 10000',
      'code_attempts_per_minute = 100000',
      'code_attempt_burst = 10000',
      'forms_per_minute = 100000',
      'form_burst = 10000',
      '[limits.per_source]',
      'connections = 100000',
      'submissions_per_minute = 100000',
      'submission_burst = 10000',
      'code_attempts_per_minute = 100000',
      'code_attempt_burst = 10000',
      'forms_per_minute = 100000',
      'form_burst = 10000',
      // Small Argon2id parameters so a walk takes seconds; the production defaults are tested elsewhere.
      '[ticket.kdf]',
      'memory_kib = 1024',
      'iterations = 1',
      'parallelism = 1',
      '[outbox]',
      `recipients = ["${recipient}"]`,
      '[internal_api]',
      'enabled = true',
      'listen = "127.0.0.1:0"',
      'max_wait_secs = 5',
      `cert = "${certs('gateway.pem')}"`,
      `key = "${certs('gateway-key.pem')}"`,
      `client_ca = "${certs('ca.pem')}"`,
      `client_spki = ["${pin}"]`,
      '[log]',
      'level = "info"',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'porten.toml'), config);

    this.serve = startProcess(PORTEN, ['serve', '--config', join(dir, 'porten.toml')]);
    const addresses = {};
    const ready = new Promise((resolve, reject) => {
      this.serve.listeners.push((line) => {
        const listening = /listening transport="?(\w+)"? address=(\S+)/.exec(line);
        if (listening) addresses[listening[1]] = listening[2];
        if (line.includes('porten is ready')) resolve();
      });
      this.serve.exited.then(({ code, signal }) =>
        reject(new Error(`porten serve exited (${code ?? signal}):\n${this.serve.lines.join('\n')}`)),
      );
    });
    let timer;
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`porten serve was not ready in 60 s:\n${this.serve.lines.join('\n')}`)), 60000);
      }),
    ]);
    clearTimeout(timer);
    // The internal API may report its address just after "ready".
    await waitFor(() => addresses.internal, 'the internal API', 2000).catch(() => null);
    if (!addresses.https) throw new Error(`porten serve logged no https address:\n${this.serve.lines.join('\n')}`);
    this.origin = `https://${addresses.https}`;
    this.port = Number(addresses.https.split(':').pop());
    this.certPem = join(dir, 'data', 'dev-tls', 'cert.pem');
    this.certificate = certificateHashes(this.certPem);

    // Without the internal API there is no staff side: the visit then goes on without a staff reply.
    this.hasInbox = Boolean(addresses.internal);
    if (!this.hasInbox) {
      if (desk) throw new Error(`porten serve started no internal API, so there is no staff desk:\n${this.serve.lines.join('\n')}`);
      return;
    }
    let internalPort = addresses.internal.split(':').pop();
    if (desk) {
      this.internal = await Recorder.start({
        target: `https://127.0.0.1:${internalPort}`,
        certPem: certs('gateway.pem'),
        keyPem: certs('gateway-key.pem'),
        upstream: { ca: certs('ca.pem'), cert: certs('inbox.pem'), key: certs('inbox-key.pem') },
      });
      internalPort = this.internal.port;
    }
    const deskPort = desk ? await freePort() : 0;
    this.inboxConfig = join(dir, 'porten-inbox.toml');
    writeFileSync(
      this.inboxConfig,
      [
        `gateway = "https://localhost:${internalPort}"`,
        `gateway_ca = "${certs('ca.pem')}"`,
        `client_cert = "${certs('inbox.pem')}"`,
        `client_key = "${certs('inbox-key.pem')}"`,
        `identity = "${join(dir, 'identity.txt')}"`,
        `state_dir = "${join(dir, 'inbox-state')}"`,
        `spool_dir = "${join(dir, 'spool')}"`,
        'wait_secs = 5',
        // Without a desk, the desk on a port of the kernel's choice: several runs may share the machine.
        '[desk]',
        `listen = "127.0.0.1:${deskPort}"`,
        ...(desk?.teams ?? []).flatMap((team) => [
          '[[desk.team]]',
          `name = ${toml(team.name)}`,
          `display_name = ${toml(team.displayName)}`,
          `groups = [${team.groups.map(toml).join(', ')}]`,
        ]),
        ...(desk?.partners ?? []).flatMap((partner) => [
          '[[desk.partner]]',
          `name = ${toml(partner.name)}`,
          `display_name = ${toml(partner.displayName)}`,
        ]),
        '[log]',
        'level = "info"',
        '',
      ].join('\n'),
    );
    // The administrators exist before the desk serves its first page, as an operator sets a centre up.
    for (const { login, displayName } of desk?.administrators ?? []) {
      const made = await run(INBOX, [
        'desk', 'add-account', '--login', login, '--display-name', displayName, '--role', 'administrator',
        '--config', this.inboxConfig,
      ]);
      const code = enrolmentCodeIn(made.stdout);
      if (!code) throw new Error(`porten-inbox desk add-account printed no enrolment code for ${login}`);
      this.deskCodes.set(login, code);
    }
    this.inbox = startProcess(INBOX, ['run', '--config', this.inboxConfig]);
    if (!desk) return;
    const deskCert = join(dir, 'inbox-state', 'desk', 'dev-tls', 'cert.pem');
    await waitFor(
      async () => {
        if (this.inbox.child.exitCode !== null) throw new Error(`porten-inbox run stopped:\n${this.inbox.lines.join('\n')}`);
        return (await accepts(deskPort)) && existsSync(deskCert);
      },
      `the staff desk on 127.0.0.1:${deskPort}\n(inbox log:\n${this.inbox.lines.slice(-20).join('\n')})`,
      60000,
    );
    this.deskOrigin = `https://127.0.0.1:${deskPort}`;
    this.deskCertificate = certificateHashes(deskCert);
  }

  /** The one-time enrolment code `desk add-account` printed for the administrator `login`. */
  enrolmentCode(login) {
    const code = this.deskCodes.get(login);
    if (!code) throw new Error(`no administrator ${login} was made`);
    return code;
  }

  /** The inbox's log, for failure messages. */
  inboxLog() {
    return this.inbox ? this.inbox.lines.join('\n') : '';
  }

  /** The documents the inbox has delivered to its spool so far. */
  spoolDocuments() {
    const spool = join(this.dir, 'spool');
    let names;
    try {
      names = readdirSync(spool);
    } catch {
      return [];
    }
    return names
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .map((name) => JSON.parse(readFileSync(join(spool, name), 'utf8')));
  }

  /** Waits until the inbox has delivered the first contact whose message contains `marker`; its ticket ref. */
  async ticketRefFor(marker) {
    const document = await waitFor(
      () => this.spoolDocuments().find((doc) => doc.kind === 'first-contact' && String(doc.message).includes(marker)),
      `the inbox to deliver the first contact marked ${marker}\n(inbox log:\n${this.inbox.lines.slice(-20).join('\n')})`,
      30000,
    );
    return document.ticket_ref;
  }

  /** Answers a ticket as staff, as `porten-inbox reply REF --from NAME` with the text on standard input. */
  async staffReply(ticketRef, from, text) {
    await new Promise((resolve, reject) => {
      const child = execFile(INBOX, ['reply', ticketRef, '--from', from, '--config', this.inboxConfig], (error, stdout, stderr) =>
        error ? reject(new Error(`porten-inbox reply failed: ${stderr || error.message}`)) : resolve(stdout),
      );
      child.stdin.end(text);
    });
  }

  /** The gateway's log, for failure messages. */
  log() {
    return this.serve ? this.serve.lines.join('\n') : '';
  }

  /** Stops the inbox and the gateway and removes the temporary directory. */
  async stop() {
    await this.recorder?.stop();
    await this.internal?.stop();
    await stopProcess(this.inbox);
    await stopProcess(this.serve);
    this.inbox = null;
    this.serve = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
