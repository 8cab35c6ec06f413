import { seededRandom } from "../../../shared/random.ts";
import type { OwnExample } from "./own-example.ts";

/**
 * Support messages that carry codes: tracking and order numbers, serials, booking
 * references, vouchers, error codes. Text folding reads digits in letters as leetspeak
 * ("1Z99" -> "iz99"), so without these negatives the models met such strings only in
 * obfuscated abuse and injections. Negatives for every model; each template is one item.
 */
const TEMPLATES = [
  "tracking {code}, shipped {date}",
  "My tracking number is {code} and it hasn't moved since {date}.",
  "parcel {code} says delivered but nothing here",
  "Order {code} arrived damaged, box was crushed",
  "Hi, order no. {code}. Can you check the status please?",
  "the courier left a card with ref {code}",
  "Serial number {code}, bought {date}, still under warranty?",
  "IMEI {digits}, the phone won't register on the network",
  "Booking reference {code}, flight on {date}, can I add a bag?",
  "voucher {code} says invalid at checkout",
  "Promo code {code} isn't applying to my basket",
  "Error {hex} when I open the app, since {date}",
  "The router shows code {hex} and the light is red",
  "Invoice {code} dated {date} has the wrong VAT number",
  "Ticket {code}: still no reply after 3 days",
  "Case {code} was closed but the problem is still there",
  "account {digits}, sort code {sort}, please update my direct debit",
  "my meter reading is {digits} taken on {date}",
  "SIM {digits} needs activating, it came with order {code}",
  "Return label {code} won't print, says expired",
  "Hello, re: RMA {code}, I've posted the unit back on {date}.",
  "The MAC address is {mac} if that helps",
  "licence key {key} says already in use",
  "Model {code}, firmware {version}, keeps rebooting",
  "my customer id is {code} and my postcode is {postcode}",
  "package {code} stuck at the depot since {date}, why??",
  "I was charged twice, transaction ids {code} and {code2}",
  "ref {code} / {code2} - please merge these two tickets",
  "Device {code} ({version}) shows error {hex} after the update",
  "The confirmation email says {code}, but the app shows {code2}",
];

const LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const ALNUM = `${LETTERS}0123456789`;

function pick(random: { next(): number }, chars: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += chars[Math.floor(random.next() * chars.length)];
  return out;
}

function fill(template: string, random: { next(): number }): string {
  const digits = (n: number) => pick(random, "0123456789", n);
  const values: Record<string, () => string> = {
    code: () =>
      [
        () => `1Z${pick(random, ALNUM, 16)}`,
        () => `${pick(random, LETTERS, 2)}${digits(9)}GB`,
        () => `#${digits(7)}`,
        () => `${pick(random, LETTERS, 3)}-${digits(5)}-${pick(random, ALNUM, 4)}`,
        () => pick(random, ALNUM, 10),
        () => `${digits(3)}-${digits(7)}-${digits(7)}`,
      ][Math.floor(random.next() * 6)]!(),
    code2: () => pick(random, ALNUM, 8),
    digits: () => digits(15),
    hex: () => `0x${pick(random, "0123456789ABCDEF", 8)}`,
    date: () => `202${digits(1)}-0${1 + Math.floor(random.next() * 9)}-1${digits(1)}`,
    sort: () => `${digits(2)}-${digits(2)}-${digits(2)}`,
    mac: () => Array.from({ length: 6 }, () => pick(random, "0123456789abcdef", 2)).join(":"),
    key: () => Array.from({ length: 4 }, () => pick(random, ALNUM, 5)).join("-"),
    version: () => `v${digits(1)}.${digits(2)}.${digits(1)}`,
    postcode: () =>
      `${pick(random, LETTERS, 2)}${digits(1)} ${digits(1)}${pick(random, LETTERS, 2)}`,
  };
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!());
}

/** Four fills of each template, the same on every run. */
export function supportCodeExamples(model: string): OwnExample[] {
  const random = seededRandom(7_202_612);
  return TEMPLATES.flatMap((template, i) =>
    Array.from({ length: 4 }, () => ({
      item: `codes-${model}-${String(i).padStart(2, "0")}`,
      text: fill(template, random),
      labels: [],
    })),
  );
}
