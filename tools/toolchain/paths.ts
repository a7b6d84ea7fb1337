import os from 'node:os';
import path from 'node:path';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';

export const projectRoot = path.resolve(__dirname, '..', '..');

/** Built and downloaded servers are cached outside the clone, so a second clone on the machine reuses them. */
export function userCacheDir(): string {
  const base =
    process.env.BEREIK_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'bereik');
  mkdirSync(base, { recursive: true });
  return base;
}

/** The project's own (git-ignored) tool folder, checked before the user cache. */
export const projectToolsDir = path.join(projectRoot, '.tools');

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate) && isExecutable(candidate)) return candidate;
  }
  return null;
}
