// Colours: the 16 basic ANSI names only, red/yellow kept for severity. NO_COLOR turns every
// colour off (inverse and bold still mark the selection and titles).

export type Tone = 'error' | 'warn' | 'ok' | 'accent' | 'dim' | 'title' | 'plain';

export interface Theme {
  noColor: boolean;
  color(tone: Tone): string | undefined;
}

const palette: Record<Tone, string | undefined> = {
  error: 'red',
  warn: 'yellow',
  ok: 'green',
  accent: 'cyan',
  dim: 'gray',
  title: 'blue',
  plain: undefined,
};

export function makeTheme(env: NodeJS.ProcessEnv = process.env): Theme {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return {noColor, color: (tone) => (noColor ? undefined : palette[tone])};
}
