// The console: wiring only. State lives in a store (hooks/useStore.ts, reducer in state.ts);
// views load in hooks/useViewLoader.ts and refresh live in hooks/useLiveRefresh.ts; what is on
// screen is hooks/useFrame.ts; keys go through input.ts to actions.ts; the panes only draw.
// Every line is pre-cut to the width, and the frame is always rows − 1 lines tall.
import React, {useEffect, useLayoutEffect, useMemo, useRef, useState} from 'react';
import {Box, useApp, useInput, useStdin, type Key} from 'ink';
import type {Settings} from '../commands/settings.js';
import type {CompletionContext} from './commands.js';
import type {ConsoleSource} from './data-source.js';
import {createActions, loadDeployments, type Ctx} from './actions.js';
import {heights, minColumns, minRows, type Frame} from './frame.js';
import {onKey, splitKeys} from './input.js';
import {topView} from './state.js';
import {rateLines} from './status.js';
import {WatchTail} from './tail.js';
import {makeTheme} from './theme.js';
import {currentPane, scopesOf, viewLabel} from './views/registry.js';
import {useTerminalSize, type Size} from './hooks/useTerminalSize.js';
import {useTailVersion} from './hooks/useTailVersion.js';
import {useStore} from './hooks/useStore.js';
import {useClock} from './hooks/useClock.js';
import {useViewLoader} from './hooks/useViewLoader.js';
import {useLiveRefresh} from './hooks/useLiveRefresh.js';
import {useFrame} from './hooks/useFrame.js';
import {Crumbs, StatusLine, TabBar, TooSmall} from './components/Chrome.js';
import {HelpBody} from './components/HelpBody.js';
import {ModeFooter} from './components/ModeFooter.js';
import {PaneBody} from './components/PaneBody.js';

export {minColumns, minRows};

export interface AppProps {
  source: ConsoleSource;
  settings: Settings;
  /** Fixed terminal size (tests); otherwise stdout's, following resizes. */
  size?: Size;
  env?: NodeJS.ProcessEnv;
  /** Where `y` also saves a raw event's JSON (start.tsx: the data directory); no file when absent. */
  saveDir?: string;
  /** Puts text on the terminal's clipboard (start.tsx: OSC 52). */
  clipboard?: (text: string) => void;
  /** Ring-buffer size of the watch pane. */
  capacity?: number;
  /** Minimum gap between tail-driven renders (default 66 ms ≈ 15 fps). */
  renderIntervalMs?: number;
  banner?: string;
  /** Backoff base for retries (tests use a few ms). */
  retryBaseMs?: number;
  onExit?: (code: number) => void;
  /** Age past which an in-flight operation is highlighted (default 60 s). */
  stuckSeconds?: number;
  /** A tail made by the caller (launch.tsx, started before Ink loaded); the app makes one otherwise. */
  tail?: WatchTail;
}

export function App(props: AppProps) {
  const {source, settings, onExit, clipboard, saveDir} = props;
  const theme = useMemo(() => makeTheme(props.env ?? process.env), [props.env]);
  const size = useTerminalSize(props.size);
  const {isRawModeSupported} = useStdin();
  const {exit} = useApp();
  // Made once: the tail lives as long as the console, whatever props later say.
  const [tail] = useState(
    () =>
      props.tail ??
      new WatchTail(source, {
        deployment: settings.deployment,
        service: settings.service,
        pollMs: Math.max(200, settings.pollSeconds * 1000),
        capacity: props.capacity ?? 5000,
        baseBackoffMs: props.retryBaseMs,
      }),
  );
  const {version: tailVersion, snapshot, at: tailAt} = useTailVersion(tail, props.renderIntervalMs ?? 66);
  const [state, store] = useStore();
  const clock = useClock();
  const [completion] = useState<CompletionContext>(() => ({deployments: [], uuids: [], requestIds: [], reportIds: [], eventNames: []}));

  useEffect(() => {
    tail.start();
    return () => tail.stop();
  }, [tail]);
  useEffect(() => loadDeployments(source, completion), [source, completion]);

  const top = topView(state);
  useViewLoader(top, source, store.dispatch, completion, props.retryBaseMs ?? 1000);
  useLiveRefresh(top, tail, tailVersion, source, settings.pollSeconds, store.dispatch);

  // The time is never read during render: it is the latest moment this render knows of (the
  // clock's tick, the tail's last version, the status message just set).
  const now = Math.max(clock, tailAt, state.status?.at ?? 0);
  const stuckMs = (props.stuckSeconds ?? 60) * 1000;
  const drawn = useFrame({state, tail, snapshot, now, size, stuckMs});

  // Keys read the frame last drawn (the rows the user sees) and the store's current state.
  const frame = useRef<Frame>(drawn);
  useLayoutEffect(() => {
    frame.current = drawn;
  });
  useInput(
    (input: string, key: Key) => {
      const ctx: Ctx = {
        get: store.get,
        dispatch: store.dispatch,
        frame: () => frame.current,
        tail,
        source,
        completion,
        clipboard,
        saveDir,
        quit: () => {
          tail.stop();
          onExit?.(0);
          exit();
        },
      };
      const actions = createActions(ctx);
      for (const k of splitKeys(input, key)) onKey(ctx, actions, k.name, k.input);
    },
    {isActive: isRawModeSupported === true},
  );

  const {columns: width, rows: termRows} = size;
  if (width < minColumns || termRows < minRows) return <TooSmall columns={width} rows={termRows} theme={theme} />;
  const {frameHeight, bodyHeight} = heights(termRows);
  const mode = state.mode;
  return (
    <Box flexDirection="column" width={width} height={frameHeight} overflow="hidden">
      <TabBar current={currentPane(state.stack)} width={width} right={props.banner ?? ''} theme={theme} />
      <Crumbs labels={state.stack.map(viewLabel)} width={width} theme={theme} right={source.baseUrl} middle={top.kind === 'watch' ? rateLines(tail, width - source.baseUrl.length - 10) : ''} />
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        {mode.kind === 'help' ? (
          <HelpBody lines={drawn.help} top={mode.top} height={bodyHeight} width={width} />
        ) : (
          <PaneBody
            marks={state.marks}
            view={top}
            body={drawn.body}
            cursor={drawn.cursor}
            windowTop={drawn.windowTop}
            listHeight={drawn.listHeight}
            width={width}
            natural={drawn.natural}
            theme={theme}
            formActive={mode.kind === 'form'}
            service={'service' in top ? top.service : tail.service}
          />
        )}
      </Box>
      <StatusLine parts={drawn.status} width={width} theme={theme} />
      <ModeFooter mode={mode} scopes={scopesOf(top.kind)} paused={top.kind === 'watch' && state.watch.pausedAt !== undefined} hidden={drawn.body.hidden} helpMatches={drawn.help.length} width={width} theme={theme} />
    </Box>
  );
}
