import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export interface Size {
  columns: number;
  rows: number;
}

const readSize = (stdout: NodeJS.WriteStream): Size => ({columns: stdout.columns || 80, rows: stdout.rows || 24});

/** The terminal size, following resizes (Ink 6.8 has no useWindowSize). `fixed` wins when given. */
export function useTerminalSize(fixed?: Size): Size {
  const {stdout} = useStdout();
  const [size, setSize] = useState<Size>(() => fixed ?? readSize(stdout));
  // A fixed size is returned as given, so only a live terminal needs to be followed.
  const follow = fixed === undefined;
  useEffect(() => {
    if (!follow) return;
    const onResize = () => setSize(readSize(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, follow]);
  return fixed ?? size;
}
