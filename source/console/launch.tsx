// Starts the Ink console on a real terminal and resolves with the exit code when it quits.
import React from 'react';
import {render} from 'ink';
import type {Settings} from '../commands/settings.js';
import {App} from './app.js';
import {clientSource} from './data-source.js';

export interface LaunchOptions {
  banner?: string;
}

export async function launchConsole(settings: Settings, options: LaunchOptions = {}): Promise<number> {
  const source = clientSource(settings.url);
  let code = 0;
  // Node pauses stdin when its last listener goes; make sure Ink gets keys from the start.
  process.stdin.resume();
  const instance = render(<App source={source} settings={settings} banner={options.banner} onExit={(c) => (code = c)} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 15,
    incrementalRendering: true,
  });
  const stop = () => instance.unmount();
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGHUP', stop);
    instance.cleanup();
    process.stdin.pause();
  }
  return code;
}
