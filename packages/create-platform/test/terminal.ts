import { spawn, type IPty } from 'node-pty';
import { resolve } from 'node:path';

/*
 * Drives the compiled create-platform through a real pseudo-terminal (node-pty): stdin and stdout are TTYs,
 * keys arrive as a person types them, Ctrl-C is the terminal's. `npm test` compiles before it runs vitest.
 */

export const CLI = resolve(__dirname, '../bin/create-platform.js');

export const KEY = {
  enter: '\r',
  down: '\x1b[B',
  up: '\x1b[A',
  space: ' ',
  ctrlC: '\x03',
  /** Clears the line typed so far (readline): the bad answer stays after a failed validation. */
  clearLine: '\x15',
} as const;

/* eslint-disable no-control-regex -- terminal escape sequences are control characters */
// A cursor move or erase starts a redraw: it becomes a line break, so that each prompt starts a line.
const CURSOR = /\x1b\[[0-9;]*[A-HJK]/g;
// Other CSI and OSC sequences (colours, cursor visibility) and single-character escapes: removed.
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Za-z0-9]|\x1b[=>78]/g;
/* eslint-enable no-control-regex */

export class Terminal {
  private raw = '';
  private position = 0;
  private waiters: (() => void)[] = [];
  readonly pty: IPty;
  readonly exited: Promise<{ exitCode: number; signal?: number }>;
  private done = false;

  constructor(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }) {
    this.pty = spawn(process.execPath, [CLI, ...args], {
      name: 'xterm-256color',
      cols: 220,
      rows: 60,
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env } as unknown as Record<string, string>,
    });
    this.pty.onData((data) => {
      this.raw += data;
      this.wake();
    });
    this.exited = new Promise((resolve) =>
      this.pty.onExit((e) => {
        this.done = true;
        this.wake();
        resolve(e);
      }),
    );
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Everything shown so far, without escape sequences. */
  get text(): string {
    return this.raw.replace(CURSOR, '\n').replace(ANSI, '');
  }

  /** Waits until `pattern` appears after the last match; later waits search after it. */
  async waitFor(pattern: string | RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    const regex = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.position);
      const match = regex.exec(rest);
      if (match) {
        this.position += match.index + match[0].length;
        return match;
      }
      if (this.done || Date.now() > deadline)
        throw new Error(`${this.done ? 'exited' : 'timed out'} waiting for ${regex}; the screen since the last match:\n${rest.slice(-3000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  write(keys: string): void {
    this.pty.write(keys);
  }

  /** Waits for a question, then types the keys. */
  async answer(prompt: string, keys: string): Promise<void> {
    await this.waitFor(`? ${prompt}`);
    this.write(keys);
  }

  /**
   * Answers every question until the confirmation: the keys given for a question whose message starts with
   * the key, Enter (the default) otherwise. Each answer must be accepted (its ✔ line) before the next.
   * Returns the messages asked, in order.
   */
  async answerAll(keys: Record<string, string> = {}, confirm: string = KEY.enter): Promise<string[]> {
    const asked: string[] = [];
    for (;;) {
      const [, line] = await this.waitFor(/^\? (\S[^\r\n]*)/m);
      const message = line.split(/ · | \(|\?/)[0].trim();
      asked.push(message);
      if (message === 'Create the platform') {
        this.write(confirm);
        return asked;
      }
      const given = Object.entries(keys).find(([prefix]) => message.startsWith(prefix));
      this.write(given ? given[1] : KEY.enter);
      await this.waitFor(`✔ ${message}`);
    }
  }
}
