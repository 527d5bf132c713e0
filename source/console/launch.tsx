// Starts the Ink console on a real terminal and resolves with the exit code when it quits.
// React's development build records a performance measure for every render and keeps them in
// Node's global timeline: an unbounded leak in a console that renders for days. So the
// production build is chosen here, before React is first loaded.
import type {Settings} from '../commands/settings.js';

/** How long Ink waits for the first poll before loading anyway. */
const firstFrameWaitMs = 300;

export interface LaunchOptions {
  banner?: string;
}

export async function launchConsole(settings: Settings, options: LaunchOptions = {}): Promise<number> {
  if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production';
  // The first watch poll goes out before Ink and React load (most of the start-up time), and
  // its rows are written at once as a plain first frame (first-frame.ts); Ink draws over it.
  const [{clientSource}, {WatchTail}, {enterAlternateScreen}, {firstFrame}] = await Promise.all([
    import('./client-source.js'),
    import('./tail.js'),
    import('./terminal.js'),
    import('./first-frame.js'),
  ]);
  const source = clientSource(settings.url);
  const tail = new WatchTail(source, {
    deployment: settings.deployment,
    service: settings.service,
    pollMs: Math.max(200, settings.pollSeconds * 1000),
    capacity: 5000,
  });
  tail.start();
  const restoreScreen = enterAlternateScreen(process.stdout);
  const out = process.stdout;
  // Ink loads once the first frame is out (or the first poll is slow to bring rows): loading
  // it is CPU work that would otherwise delay handling the first reply.
  let firstDone: () => void = () => undefined;
  const first = new Promise<void>((resolve) => (firstDone = resolve));
  const timer = setTimeout(firstDone, firstFrameWaitMs);
  const stopFirst = tail.subscribe(() => {
    const frame = firstFrame(tail, out.columns || 80, out.rows || 24, source.baseUrl);
    if (frame !== undefined) out.write(frame);
    // Rows drawn, or an answer without rows or an error: Ink's own frame says what there is.
    firstDone();
  });
  try {
    await first;
    clearTimeout(timer);
    stopFirst();
    const {startConsole} = await import('./start.js');
    return await startConsole(settings, options, {source, tail, restoreScreen});
  } catch (error) {
    restoreScreen();
    throw error;
  }
}
