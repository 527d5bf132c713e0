// Operator logs: one line per event, as JSON or as text, with a level. Fields named like a
// secret (token, password, authorization, secret) are never written, whatever their value.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';
export type LogFields = Record<string, unknown>;

const ORDER: Record<LogLevel, number> = {debug: 10, info: 20, warn: 30, error: 40};
const SECRET = /token|password|secret|authori[sz]ation|cookie/i;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function isLogLevel(v: string): v is LogLevel {
  return v in ORDER;
}

function textValue(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  // One line per event: quote anything with spaces, quotes or line breaks.
  return /^[^\s"=]+$/.test(s) ? s : JSON.stringify(s);
}

export function createLogger(options: {format?: LogFormat; level?: LogLevel; name?: string;
  write?: (line: string) => void; now?: () => Date} = {}): Logger {
  const format = options.format ?? 'text';
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const emit = (level: LogLevel, event: string, fields: LogFields = {}) => {
    if (ORDER[level] < min) return;
    const clean: LogFields = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && !SECRET.test(k)) clean[k] = v;
    const ts = now().toISOString();
    if (format === 'json') {
      write(`${JSON.stringify({ts, level, ...(options.name ? {name: options.name} : {}), event, ...clean})}\n`);
    } else {
      const rest = Object.entries(clean).map(([k, v]) => ` ${k}=${textValue(v)}`).join('');
      write(`${ts} ${level.padEnd(5)} ${options.name ? `${options.name}: ` : ''}${event.replace(/\s+/g, ' ')}${rest}\n`);
    }
  };
  return {
    debug: (e, f) => emit('debug', e, f), info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f), error: (e, f) => emit('error', e, f),
  };
}

/** Checked --log-format and --log-level values; throws with a usage message. */
export function loggerOptions(format: string | undefined, level: string | undefined): {format: LogFormat; level: LogLevel} {
  const f = format ?? 'text';
  if (f !== 'json' && f !== 'text') throw new Error(`--log-format takes json or text, got '${f}'`);
  const l = level ?? 'info';
  if (!isLogLevel(l)) throw new Error(`--log-level takes debug, info, warn or error, got '${l}'`);
  return {format: f, level: l};
}
