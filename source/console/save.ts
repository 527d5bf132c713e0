import {access, mkdir, writeFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';

/** Writes pretty JSON to `<dir>/<base>.json` (or `<base>-2.json`… when taken); returns the path. */
export async function saveJson(dir: string, base: string, value: unknown): Promise<string> {
  await mkdir(dir, {recursive: true});
  for (let n = 1; n < 1000; n++) {
    const path = resolve(join(dir, n === 1 ? `${base}.json` : `${base}-${n}.json`));
    try {
      await access(path);
      continue;
    } catch {
      await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, {flag: 'wx'});
      return path;
    }
  }
  throw new Error(`too many ${base}-N.json files in ${dir}`);
}
