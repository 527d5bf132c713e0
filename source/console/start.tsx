// Renders the Ink console on the real terminal (loaded by launch.tsx once NODE_ENV is set).
import React from 'react';
import {renameSync, writeFileSync} from 'node:fs';
import {render} from 'ink';
import type {Settings} from '../commands/settings.js';
import {App} from './app.js';
import type {ConsoleSource} from './data-source.js';
import {clientSource} from './client-source.js';
import {WatchTail} from './tail.js';
import {enterAlternateScreen, osc52} from './terminal.js';
import {dataDir} from '../commands/paths.js';
import {join} from 'node:path';

import type {LaunchOptions} from './launch.js';

/** What launch.tsx started before Ink loaded: the source, the polling tail, the alternate screen. */
export interface Started {
  source: ConsoleSource;
  tail: WatchTail;
  restoreScreen: () => void;
}

export async function startConsole(settings: Settings, options: LaunchOptions = {}, started?: Started): Promise<number> {
  const source = started?.source ?? clientSource(settings.url);
  const tail =
    started?.tail ??
    new WatchTail(source, {
      deployment: settings.deployment,
      service: settings.service,
      pollMs: Math.max(200, settings.pollSeconds * 1000),
      capacity: 5000,
    });
  let code = 0;
  // For bench/console.ts: frame count, render time and tail lag, written once a second.
  const statsFile = process.env.STACKY_CONSOLE_STATS;
  const stats = {frames: 0, renderMs: 0, maxRenderMs: 0};
  const onRender = statsFile
    ? ({renderTime}: {renderTime: number}) => {
        stats.frames++;
        stats.renderMs += renderTime;
        stats.maxRenderMs = Math.max(stats.maxRenderMs, renderTime);
      }
    : undefined;
  const statsTimer = statsFile
    ? setInterval(() => {
        // Under --expose-gc (bench), measure live memory rather than garbage not yet collected.
        (globalThis as {gc?: () => void}).gc?.();
        const lagS = tail.since ? Date.now() / 1000 - Number(tail.since) : null;
        writeFileSync(`${statsFile}.tmp`, JSON.stringify({...stats, at: Date.now(), lagS, pushed: tail.buffer.pushed, rate: tail.rate(), status: tail.status.kind, memory: process.memoryUsage()}));
        renameSync(`${statsFile}.tmp`, statsFile);
      }, 1000)
    : undefined;
  if (statsFile) process.on('SIGUSR2', () => void import('node:v8').then((v8) => v8.writeHeapSnapshot(`${statsFile}.${Date.now()}.heapsnapshot`)));
  // Node pauses stdin when its last listener goes; make sure Ink gets keys from the start.
  process.stdin.resume();
  const restoreScreen = started?.restoreScreen ?? enterAlternateScreen(process.stdout);
  // Ink draws from the top of a clear screen, over launch.tsx's first frame.
  if (started) process.stdout.write('\u001B[H\u001B[2J');
  const clipboard = (text: string) => process.stdout.write(osc52(text));
  const saveDir = join(dataDir(), 'saved');
  const instance = render(<App source={source} settings={settings} tail={tail} banner={options.banner} saveDir={saveDir} clipboard={clipboard} onExit={(c) => (code = c)} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    // Data-driven renders are batched to ≤ 15/s by useTailVersion; this cap only bounds how
    // long a keystroke can wait behind one of them (npm run bench, 2026-12-07: keystroke p99
    // 104–106 ms at 30, 59–62 ms at 60, console CPU unchanged at 7 %).
    maxFps: 60,
    // Ink 6.8's incremental mode left stale lines in tmux (observed); full frames are small anyway.
    incrementalRendering: process.env.STACKY_INCREMENTAL === '1',
    onRender,
  });
  const stop = () => instance.unmount();
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  try {
    await instance.waitUntilExit();
  } finally {
    if (statsTimer) clearInterval(statsTimer);
    tail.stop();
    process.off('SIGTERM', stop);
    process.off('SIGHUP', stop);
    // Ink lets go of the terminal first (raw mode, cursor), then the normal screen comes back.
    instance.cleanup();
    restoreScreen();
    process.stdin.pause();
  }
  return code;
}
