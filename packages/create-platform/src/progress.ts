import { style } from './style';

export interface Progress {
  /**
   * Runs one long step: a spinner at a terminal, a line when it starts in a log. It ends with the step's
   * own summary (`done`) and its time, or with a cross and the time it failed after.
   */
  step<T>(title: string, run: () => Promise<T>, done: (value: T) => string): Promise<T>;
}

export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/** A spinner on stdout for a person at a terminal (ora, loaded only then); plain lines through `write` for everyone else. */
export function createProgress(interactive: boolean, write: (line: string) => void): Progress {
  return {
    async step(title, run, done) {
      const start = Date.now();
      // discardStdin: false keeps the terminal as it is, so Ctrl-C is the terminal's SIGINT. (ora's discarder
      // sets raw mode but never starts a stdin that nothing has read yet: Ctrl-C would be swallowed.)
      const spinner = interactive ? (await import('ora')).default({ text: title, stream: process.stdout, discardStdin: false }).start() : undefined;
      if (!spinner) write(`… ${title}`);
      try {
        const value = await run();
        const text = `${done(value)} ${style('dim', `(${seconds(start)})`)}`;
        if (spinner) spinner.succeed(text);
        else write(`✔ ${text}`);
        return value;
      } catch (e) {
        const text = `${title}: stopped after ${seconds(start)}`;
        if (spinner) spinner.fail(text);
        else write(`✖ ${text}`);
        throw e;
      }
    },
  };
}
