// The alternate screen: the console draws on its own screen and gives the user's terminal back
// as it was on every way out — quit, a signal, an error thrown in a render, an uncaught crash
// (#15: quitting used to leave the last frame on the terminal).

export interface Screen {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const enter = '\u001B[?1049h';
/** Show the cursor again and leave the alternate screen. */
const leave = '\u001B[?25h\u001B[?1049l';

/**
 * Switches `out` to the alternate screen and returns the restore function (idempotent). The
 * restore also runs on process exit and before Node reports an uncaught exception, so the
 * report lands on the normal screen where it can be read.
 */
export function enterAlternateScreen(out: Screen, proc: Pick<NodeJS.Process, 'once' | 'off'> = process): () => void {
  if (out.isTTY === false) return () => undefined;
  let active = true;
  out.write(enter);
  const restore = () => {
    if (!active) return;
    active = false;
    proc.off('exit', restore);
    proc.off('uncaughtExceptionMonitor', restore);
    out.write(leave);
  };
  proc.once('exit', restore);
  proc.once('uncaughtExceptionMonitor', restore);
  return restore;
}

/** The OSC 52 sequence that puts `text` on the clipboard of the terminal at the far end (tmux and SSH pass it on). */
export function osc52(text: string): string {
  return `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}
