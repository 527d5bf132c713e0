// Starts the Ink console on a real terminal and resolves with the exit code when it quits.
// React's development build records a performance measure for every render and keeps them in
// Node's global timeline: an unbounded leak in a console that renders for days. So the
// production build is chosen here, before React is first loaded.
import type {Settings} from '../commands/settings.js';

export interface LaunchOptions {
  banner?: string;
}

export async function launchConsole(settings: Settings, options: LaunchOptions = {}): Promise<number> {
  if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production';
  // The first watch poll goes out before Ink and React load (most of the start-up time), so
  // the first frame already has rows to show.
  const [{clientSource}, {WatchTail}] = await Promise.all([import('./data-source.js'), import('./tail.js')]);
  const source = clientSource(settings.url);
  const tail = new WatchTail(source, {
    deployment: settings.deployment,
    service: settings.service,
    pollMs: Math.max(200, settings.pollSeconds * 1000),
    capacity: 5000,
  });
  tail.start();
  const {startConsole} = await import('./start.js');
  return startConsole(settings, options, {source, tail});
}
