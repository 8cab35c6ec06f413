import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, statSync } from "node:fs";

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Bring `path` down to `mode` when it is ours and allows more. Modes set at creation pass
 * through the umask, so the final mode is set here, whatever the umask is. A folder with the
 * sticky bit is shared by design (/tmp): tightening it would lock its other users out.
 */
function tighten(path: string, mode: number, stats = statSync(path)): void {
  if (stats.uid !== process.getuid?.()) return;
  if ((stats.mode & 0o777 & ~mode) === 0) return;
  if (stats.isDirectory() && (stats.mode & 0o1000) !== 0) return;
  chmodSync(path, mode);
}

/**
 * A folder only its owner can enter (0700), for the database and the admin key: created so,
 * or tightened when it is ours and looser (older versions left it 0755).
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  tighten(dir, DIR_MODE);
}

/** `file` (created empty when missing) readable and writable by its owner only (0600). */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, "a", FILE_MODE));
  keepPrivate(file);
}

/**
 * An existing file of ours made 0600 if it is looser; a missing file is fine. A symbolic link
 * is left alone: its target may be outside the data dir, and not ours to change.
 */
export function keepPrivate(file: string): void {
  let stats: ReturnType<typeof lstatSync>;
  try {
    stats = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if (stats.isFile()) tighten(file, FILE_MODE, stats);
}
