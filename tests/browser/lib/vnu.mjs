// The Nu Html Checker (the `vnu-jar` package, run with the machine's Java) over the pages exactly as the gateway
// sent them: one Java run for all files, JSON out. Errors (and fatal errors) fail; warnings are reported only.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const VNU_DIR = dirname(require.resolve('vnu-jar/package.json'));
export const VNU_JAR = join(VNU_DIR, 'build', 'dist', 'vnu.jar');
export const VNU_VERSION = JSON.parse(readFileSync(join(VNU_DIR, 'package.json'), 'utf8')).version;

/**
 * Checks `files` (paths to .html files). Returns a map from path to `{ errors: [text…], warnings: [text…] }`,
 * with an entry for every file, empty lists when it is clean.
 */
export async function checkHtml(files) {
  const java = process.env.JAVA ?? 'java';
  const output = await new Promise((resolve, reject) => {
    execFile(
      java,
      ['-Xss8m', '-jar', VNU_JAR, '--format', 'json', '--also-check-css', ...files],
      { maxBuffer: 64 * 1024 * 1024 },
      // vnu exits 1 when it found errors; the JSON says which (on stdout or stderr, depending on the version).
      (error, stdout, stderr) => {
        const json = [stdout, stderr].find((text) => text.trim().startsWith('{'));
        if (json) resolve(json);
        else reject(new Error(`vnu failed: ${stderr || stdout || error?.message}`));
      },
    );
  });
  const results = new Map(files.map((file) => [file, { errors: [], warnings: [] }]));
  for (const message of JSON.parse(output).messages) {
    const file = decodeURIComponent(String(message.url ?? '').replace(/^file:/, ''));
    const entry = results.get(file) ?? results.get(files.find((f) => file.endsWith(f)) ?? '') ?? { errors: [], warnings: [] };
    const where = message.lastLine ? `line ${message.lastLine}: ` : '';
    const text = `${where}${message.message}${message.extract ? ` [${message.extract.trim().slice(0, 80)}]` : ''}`;
    if (message.type === 'error' || message.subType === 'fatal') entry.errors.push(text);
    else entry.warnings.push(text);
    results.set(file, entry);
  }
  return results;
}
