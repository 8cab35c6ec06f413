import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { toE164 } from "../store/index.ts";

/**
 * The country of the number a channel vouches for (SMS, WhatsApp): numbers the customer
 * writes in national format most likely follow its plan, so PII screening tries it first.
 */
export function senderCountry(phone: string | undefined): string | undefined {
  const e164 = phone === undefined ? undefined : toE164(phone);
  return e164 === undefined ? undefined : parsePhoneNumberFromString(e164)?.country;
}
