export { type Clock, ManualClock, systemClock } from "./clock.ts";
export { describeError, isMainstayError, MainstayError } from "./errors.ts";
export { hmacSha256Hex, safeEqual } from "./hmac.ts";
export { newId } from "./ids.ts";
export { type Random, seededRandom, systemRandom } from "./random.ts";
export { retryAfterMs } from "./retry-after.ts";
