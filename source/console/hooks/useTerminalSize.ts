import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export interface Size {
  columns: number;
  rows: number;
}

/** The terminal size, following resizes (Ink 6.8 has no useWindowSize). `fixed` wins when given. */
export function useTerminalSize(fixed?: Size): Size {
  const {stdout} = useStdout();
  const read = (): Size => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
  const [size, setSize] = useState<Size>(fixed ?? read());
  useEffect(() => {
    if (fixed) {
      setSize(fixed);
      return;
    }
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed?.columns, fixed?.rows]);
  return fixed ?? size;
}
