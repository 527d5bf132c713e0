// The SQLite readers answer synchronously; the Store interface (source/store/api.ts) hands out promises.

/** The methods `keys` of `target`, each answering a promise (a throw becomes a rejection). */
export function promised<T extends object, K extends keyof T>(target: T, keys: readonly K[]): {
  [P in K]: T[P] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
} {
  const out: Record<PropertyKey, unknown> = {};
  for (const key of keys) {
    const method = target[key] as (...args: unknown[]) => unknown;
    out[key] = (...args: unknown[]) => {
      try {
        return Promise.resolve(method.apply(target, args));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    };
  }
  return out as never;
}
