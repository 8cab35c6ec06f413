import { randomFillSync } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
const RANDOM_CHARS = 8;
/** Ids' random bytes drawn per `randomFillSync` call: one syscall per 512 ids, not per id. */
const POOL_BYTES = RANDOM_CHARS * 512;
const pool = new Uint8Array(POOL_BYTES);
let poolAt = POOL_BYTES;
let lastTime = 0;
let counter = 0;

/**
 * Sortable ids behind a short type prefix (`msg_`, `conv_`): a 10-char base36 millisecond
 * timestamp, a 4-char counter that keeps ids made in the same millisecond in creation
 * order within this process, then 8 random chars. Sorting by id sorts by creation time,
 * which message order and cursor pagination rely on.
 */
export function newId(prefix: string, now = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    counter = 0;
  } else {
    counter++;
  }
  const time = lastTime.toString(36).padStart(10, "0");
  const seq = counter.toString(36).padStart(4, "0");
  if (poolAt === POOL_BYTES) {
    randomFillSync(pool);
    poolAt = 0;
  }
  let rand = "";
  for (let i = 0; i < RANDOM_CHARS; i++) rand += ALPHABET[pool[poolAt++]! % 36];
  return `${prefix}_${time}${seq}${rand}`;
}
