// The one usage error of every command: source/commands/spec.ts turns it into exit 2 and one line.
export class UsageError extends Error {
  override name = 'UsageError';
}
