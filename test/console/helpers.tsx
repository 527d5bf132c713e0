import './force-color.js';
import React from 'react';
import {render} from 'ink-testing-library';
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach} from 'node:test';
import {App, type AppProps} from '../../source/console/app.js';
import {FakeSource} from './fake-source.js';

export const settings = {url: 'http://fake:8000', deployment: 'all', service: 'nova' as const, pollSeconds: 0.2};

export async function waitForFrame(read: () => string | undefined, pattern: RegExp | ((f: string) => boolean), timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const test = typeof pattern === 'function' ? pattern : (f: string) => pattern.test(f);
  for (;;) {
    const frame = read() ?? '';
    if (test(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; last frame:\n${frame}`);
    await delay(5);
  }
}

export const keys = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  esc: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
  ctrlC: '\u0003',
};

const ansi = /\u001B\[[0-9;]*m/g;
export const strip = (s: string) => s.replace(ansi, '');

/** The line of a raw frame drawn in inverse video (the selected row), without codes. */
export function selectedLine(raw: string): string | undefined {
  // The first line is the tab bar, whose current pane is inverse too.
  const line = raw.split('\n').slice(1).find((l) => l.includes('\u001B[7m'));
  return line === undefined ? undefined : strip(line);
}

export interface Harness {
  source: FakeSource;
  frame: () => string;
  raw: () => string;
  selected: () => string | undefined;
  press: (...input: string[]) => Promise<void>;
  type: (text: string) => Promise<void>;
  until: (pattern: RegExp | ((f: string) => boolean), timeoutMs?: number) => Promise<string>;
  exited: () => number | undefined;
  rerender: (props: Partial<AppProps>) => void;
  unmount: () => void;
}

export async function start(props: Partial<AppProps> = {}, source = new FakeSource()): Promise<Harness> {
  let exitCode: number | undefined;
  const all: AppProps = {
    source,
    settings,
    size: {columns: 80, rows: 24},
    env: {NO_COLOR: '1'},
    renderIntervalMs: 10,
    retryBaseMs: 20,
    onExit: (c) => (exitCode = c),
    ...props,
  };
  const r = render(<App {...all} />);
  await delay(0);
  const raw = () => r.lastFrame() ?? '';
  const frame = () => strip(raw());
  return {
    source,
    frame,
    raw,
    selected: () => selectedLine(raw()),
    press: async (...input: string[]) => {
      for (const i of input) {
        r.stdin.write(i);
        await delay(2);
      }
    },
    type: async (text: string) => {
      for (const ch of text) {
        r.stdin.write(ch);
        await delay(1);
      }
    },
    until: (p, t) => waitForFrame(frame, p, t),
    exited: () => exitCode,
    rerender: (p) => r.rerender(<App {...all} {...p} />),
    unmount: () => r.unmount(),
  };
}

/** start() for one test file whose consoles are all unmounted after each test. */
export function startEach(): typeof start {
  const open: Harness[] = [];
  afterEach(() => {
    for (const h of open.splice(0)) h.unmount();
  });
  return async (props, source) => {
    const h = await start(props, source);
    open.push(h);
    return h;
  };
}
