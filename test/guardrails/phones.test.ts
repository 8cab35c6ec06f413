import assert from "node:assert/strict";
import { test } from "node:test";
import { createGuard, type GuardInput, policySchema } from "../../src/guardrails/index.ts";

/**
 * Phone numbers by how they are written, with the policy's countries and the customer's
 * country (`context.country`, what a channel knows from the sender's number). Cases were
 * written before the detector ran on them; `phones` is the exact list of spans expected.
 */
interface PhoneCase {
  name: string;
  text: string;
  /** The policy's `countries` (default `[US]`). */
  countries?: string[];
  country?: string;
  phones: string[];
}

const NATIONAL: PhoneCase[] = [
  {
    name: "DE landline, customer in DE",
    text: "Ruf mich an: 030 12345678",
    country: "DE",
    phones: ["030 12345678"],
  },
  {
    name: "DE mobile, customer in DE",
    text: "Handy 0151 23456789 bitte",
    country: "DE",
    phones: ["0151 23456789"],
  },
  {
    name: "DE landline, DE in the policy",
    text: "Ruf mich an: 030 12345678",
    countries: ["DE"],
    phones: ["030 12345678"],
  },
  {
    name: "DE landline, neither knows DE",
    text: "Ruf mich an: 030 12345678",
    countries: ["BR"],
    phones: [],
  },
  {
    name: "FR mobile with spaces, customer in FR",
    text: "appelez le 06 12 34 56 78 svp",
    country: "FR",
    phones: ["06 12 34 56 78"],
  },
  {
    name: "FR mobile with dots, customer in FR",
    text: "mon portable: 06.12.34.56.78",
    country: "FR",
    phones: ["06.12.34.56.78"],
  },
  {
    name: "FR landline, FR in the policy",
    text: "bureau 01 42 68 53 00",
    countries: ["US", "FR"],
    phones: ["01 42 68 53 00"],
  },
  {
    name: "GB London, customer in GB",
    text: "call 020 7946 0958 today",
    country: "GB",
    phones: ["020 7946 0958"],
  },
  {
    name: "GB mobile, customer in GB",
    text: "my mobile is 07911 123456",
    country: "GB",
    phones: ["07911 123456"],
  },
  {
    name: "BR mobile, customer in BR",
    text: "me liga no (11) 91234-5678",
    country: "BR",
    phones: ["(11) 91234-5678"],
  },
  {
    name: "BR landline, customer in BR",
    text: "telefone (21) 2345-6789",
    country: "BR",
    phones: ["(21) 2345-6789"],
  },
  {
    name: "BR mobile, policy list only",
    text: "me liga no (11) 91234-5678",
    countries: ["US", "BR"],
    phones: ["(11) 91234-5678"],
  },
  {
    name: "IN mobile without trunk 0, customer in IN",
    text: "call me on 98765 43210",
    country: "IN",
    phones: ["98765 43210"],
  },
  {
    name: "IN mobile with trunk 0, customer in IN",
    text: "call me on 098765 43210",
    country: "IN",
    phones: ["098765 43210"],
  },
  {
    name: "IN mobile, IN in the policy",
    text: "my number 9876543210",
    countries: ["IN"],
    phones: ["9876543210"],
  },
  {
    name: "JP Tokyo landline, customer in JP",
    text: "電話 03-1234-5678 まで",
    country: "JP",
    phones: ["03-1234-5678"],
  },
  {
    name: "JP mobile, customer in JP",
    text: "携帯 090-1234-5678",
    country: "JP",
    phones: ["090-1234-5678"],
  },
  {
    name: "customer country before the policy's",
    text: "Handy 0151 23456789",
    countries: ["US", "GB"],
    country: "DE",
    phones: ["0151 23456789"],
  },
  {
    name: "US number still found beside a customer country",
    text: "call (415) 555-2671",
    country: "DE",
    phones: ["(415) 555-2671"],
  },
];

const INTERNATIONAL: PhoneCase[] = [
  { name: "+49 without DE anywhere", text: "Tel. +49 30 12345678", phones: ["+49 30 12345678"] },
  { name: "0049 without DE anywhere", text: "Tel. 0049 30 12345678", phones: ["0049 30 12345678"] },
  { name: "+33 mobile", text: "WhatsApp +33 6 12 34 56 78", phones: ["+33 6 12 34 56 78"] },
  { name: "0033 mobile", text: "portable 0033 6 12 34 56 78", phones: ["0033 6 12 34 56 78"] },
  { name: "+44 London", text: "UK office +44 20 7946 0958", phones: ["+44 20 7946 0958"] },
  { name: "+55 mobile", text: "Brasil: +55 11 91234-5678", phones: ["+55 11 91234-5678"] },
  { name: "+91 mobile", text: "India +91 98765 43210", phones: ["+91 98765 43210"] },
  { name: "+81 mobile", text: "Japan +81 90-1234-5678", phones: ["+81 90-1234-5678"] },
  { name: "0081 Tokyo", text: "from abroad 0081 3 1234 5678", phones: ["0081 3 1234 5678"] },
  {
    name: "+7 Kazakhstan (shared calling code)",
    text: "Almaty +7 727 258 4444",
    phones: ["+7 727 258 4444"],
  },
  {
    name: "+44 Jersey (shared calling code)",
    text: "Jersey mobile +44 7797 123456",
    phones: ["+44 7797 123456"],
  },
  {
    name: "+ number whatever the policy says",
    text: "ring +49 151 23456789",
    countries: ["GB"],
    phones: ["+49 151 23456789"],
  },
];

const NOT_PHONES: PhoneCase[] = [
  { name: "ISO timestamp", text: "logged at 2018-02-24 12:45:18 by the system", phones: [] },
  { name: "ISO timestamp with T and zone", text: "created 2018-02-24T12:45:18Z", phones: [] },
  {
    name: "timestamp, customer in DE",
    text: "Zeit: 2018-02-24 12:45:18",
    country: "DE",
    phones: [],
  },
  {
    name: "German date and time",
    text: "Termin am 24.02.2018 12:45 Uhr",
    countries: ["DE"],
    phones: [],
  },
  {
    name: "German date with leading zeros",
    text: "seit dem 02.03.2018 offen",
    country: "DE",
    phones: [],
  },
  { name: "US date and time", text: "on 02/24/2018 12:45:18 PM", phones: [] },
  { name: "French date", text: "livré le 24/02/2018 à 12h45", country: "FR", phones: [] },
  { name: "compact timestamp", text: "batch 20180224124518 failed", phones: [] },
  { name: "time range", text: "open 09:00-17:30, Mon-Fri", phones: [] },
  {
    name: "German street and postcode",
    text: "Hauptstraße 12 10115 Berlin",
    countries: ["DE"],
    country: "DE",
    phones: [],
  },
  {
    name: "French street and postcode",
    text: "12 rue de Rivoli 75001 Paris",
    country: "FR",
    phones: [],
  },
  {
    name: "Brazilian CEP",
    text: "Av. Paulista 1578, CEP 01310-200 São Paulo",
    country: "BR",
    phones: [],
  },
  {
    name: "Brazilian street number and CEP",
    text: "Rua Augusta 1500 01304-001 São Paulo",
    country: "BR",
    phones: [],
  },
  {
    name: "Indian PIN after street number",
    text: "12 MG Road 560001 Bengaluru",
    country: "IN",
    phones: [],
  },
  {
    name: "Japanese postcode",
    text: "〒100-0001 東京都千代田区千代田1-1",
    country: "JP",
    phones: [],
  },
  {
    name: "US street and ZIP+4",
    text: "1600 Pennsylvania Ave NW, Washington, DC 20500-0003",
    phones: [],
  },
  { name: "GB postcode", text: "10 Downing Street, London SW1A 2AA", country: "GB", phones: [] },
  { name: "German order number", text: "Bestellnummer: 0301234567", country: "DE", phones: [] },
  { name: "French order number", text: "N° de commande 0612345678", country: "FR", phones: [] },
  { name: "English order number", text: "Order number: 2018022412", phones: [] },
  { name: "price", text: "total R$ 1.234.567,89", country: "BR", phones: [] },
];

function phonesIn(c: PhoneCase): string[] {
  const guard = createGuard(
    policySchema.parse({
      rules: [
        {
          id: "pii",
          detector: "pii",
          action: "redact",
          options: { kinds: ["phone"], ...(c.countries ? { countries: c.countries } : {}) },
        },
      ],
    }),
  );
  const input: GuardInput = {
    direction: "inbound",
    channel: "sms",
    text: c.text,
    ...(c.country ? { context: { country: c.country } } : {}),
  };
  return guard.check(input).findings.map((f) => c.text.slice(f.start, f.end));
}

for (const c of [...NATIONAL, ...INTERNATIONAL, ...NOT_PHONES]) {
  test(`phone: ${c.name}`, () => {
    assert.deepEqual(phonesIn(c), c.phones, c.text);
  });
}
