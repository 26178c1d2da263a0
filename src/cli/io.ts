import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

/** Thrown for problems the user can fix; the message is printed without a stack, exit code `code`. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/**
 * Ends the process quietly, as restic does, when the reader of its output has gone away (`steward … | head`):
 * without this, the next write raises an unhandled EPIPE error with a stack trace. Called once by main.ts.
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

/** Writes a line to stdout. */
export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Writes a line to stderr. */
export function err(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** An export: written to `output` (saying so) when given, else to stdout as it is. */
export function saveOrPrint(body: Buffer, output: string | undefined): void {
  if (!output) {
    process.stdout.write(body);
    return;
  }
  writeFileSync(output, body);
  out(`wrote ${output}`);
}

/** Prints JSON to stdout. */
export function outJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const output = process.stderr as Writable & { write: (s: string) => boolean };
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    let muted = false;
    const write = output.write.bind(output);
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (!muted) write(s);
    };
    rl.question(question, (answer) => {
      rl.close();
      write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/**
 * Reads a secret: from standard input when it is not a terminal (first line), otherwise by a hidden prompt,
 * asked twice when `confirm`.
 */
export async function readSecret(label: string, confirm: boolean): Promise<string> {
  if (!process.stdin.isTTY) {
    const text = await readAllStdin();
    const line = text.split(/\r?\n/)[0] ?? '';
    if (!line) throw new CliError(`no ${label} on standard input`, 2);
    return line;
  }
  const first = await promptHidden(`${label}: `);
  if (confirm) {
    const again = await promptHidden(`${label} (again): `);
    if (again !== first) throw new CliError(`the two ${label}s differ`, 2);
  }
  return first;
}
