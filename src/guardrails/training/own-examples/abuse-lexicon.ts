import type { Filler } from "./abuse-expand.ts";

/**
 * Protected groups in the forms templates need: `{g}` plural, `{a}` one person with an
 * article, `{adj}` the word before a noun. Several spellings of one group (Jews, Jewish
 * people) appear on purpose: the classifier must not hinge on one surface form.
 */
function group(g: string, a: string, adj: string): Filler {
  return { g, a, adj };
}

export const ORIGIN_GROUPS: Filler[] = [
  group("immigrants", "an immigrant", "immigrant"),
  group("migrants", "a migrant", "migrant"),
  group("refugees", "a refugee", "refugee"),
  group("asylum seekers", "an asylum seeker", "asylum seeker"),
  group("foreigners", "a foreigner", "foreign"),
  group("Mexicans", "a Mexican", "Mexican"),
  group("black people", "a black person", "black"),
  group("Asians", "an Asian", "Asian"),
  group("Chinese people", "a Chinese person", "Chinese"),
  group("Indians", "an Indian", "Indian"),
  group("Pakistanis", "a Pakistani", "Pakistani"),
  group("Arabs", "an Arab", "Arab"),
  group("Africans", "an African", "African"),
  group("Nigerians", "a Nigerian", "Nigerian"),
  group("Somalis", "a Somali", "Somali"),
  group("Roma", "a Roma woman", "Roma"),
  group("travellers", "a traveller", "traveller"),
  group("Polish people", "a Pole", "Polish"),
  group("Romanians", "a Romanian", "Romanian"),
  group("Latinos", "a Latino", "Latino"),
  group("Filipinos", "a Filipino", "Filipino"),
  group("Turks", "a Turk", "Turkish"),
  group("Haitians", "a Haitian", "Haitian"),
];

export const RELIGION_GROUPS: Filler[] = [
  group("Muslims", "a Muslim", "Muslim"),
  group("Jews", "a Jew", "Jewish"),
  group("Jewish people", "a Jewish person", "Jewish"),
  group("Hindus", "a Hindu", "Hindu"),
  group("Sikhs", "a Sikh", "Sikh"),
  group("Christians", "a Christian", "Christian"),
  group("Catholics", "a Catholic", "Catholic"),
  group("Buddhists", "a Buddhist", "Buddhist"),
];

export const LGBT_GROUPS: Filler[] = [
  group("gay people", "a gay man", "gay"),
  group("gays", "a gay guy", "gay"),
  group("lesbians", "a lesbian", "lesbian"),
  group("bisexual people", "a bisexual person", "bisexual"),
  group("trans people", "a trans person", "trans"),
  group("trans women", "a trans woman", "trans"),
  group("transgender people", "a transgender person", "transgender"),
  group("non-binary people", "a non-binary person", "non-binary"),
  group("queer people", "a queer person", "queer"),
];

export const GENDER_GROUPS: Filler[] = [
  group("women", "a woman", "female"),
  group("females", "a female", "female"),
  group("girls", "a girl", "girl"),
  group("ladies", "a lady", "female"),
];

export const DISABILITY_GROUPS: Filler[] = [
  group("disabled people", "a disabled person", "disabled"),
  group("the disabled", "a disabled person", "disabled"),
  group("autistic people", "an autistic person", "autistic"),
  group("deaf people", "a deaf person", "deaf"),
  group("blind people", "a blind person", "blind"),
  group("wheelchair users", "a wheelchair user", "wheelchair-bound"),
  group("mentally ill people", "a mentally ill person", "mentally ill"),
  group("people with Down syndrome", "someone with Down syndrome", "Down syndrome"),
];

export const AGE_GROUPS: Filler[] = [
  group("old people", "an old person", "old"),
  group("pensioners", "a pensioner", "pensioner"),
  group("the elderly", "an elderly person", "elderly"),
  group("OAPs", "an OAP", "OAP"),
];

export const ALL_GROUPS: Filler[] = [
  ...ORIGIN_GROUPS,
  ...RELIGION_GROUPS,
  ...LGBT_GROUPS,
  ...GENDER_GROUPS,
  group("men", "a man", "male"),
  ...DISABILITY_GROUPS,
  ...AGE_GROUPS,
];

/** How members of a group name themselves when they write in (reclaimed or plain). */
export const SELF_IDENTITIES: Filler[] = [
  { me: "a queer woman" },
  { me: "a gay man" },
  { me: "a trans guy" },
  { me: "a black woman" },
  { me: "a disabled customer" },
  { me: "an immigrant" },
  { me: "a Muslim" },
  { me: "a Jewish dad" },
  { me: "a wheelchair user" },
  { me: "an autistic adult" },
  { me: "a deaf customer" },
  { me: "a pensioner" },
  { me: "a refugee" },
  { me: "a lesbian" },
  { me: "a Mexican-American" },
  { me: "a Sikh" },
];

/** Targets that are not protected characteristics: abuse of them is not hate. */
export const UNPROTECTED_TARGETS: Filler[] = [
  { np: "politicians" },
  { np: "bankers" },
  { np: "estate agents" },
  { np: "landlords" },
  { np: "your managers" },
  { np: "call centres" },
  { np: "traffic wardens" },
  { np: "lawyers" },
  { np: "telemarketers" },
  { np: "energy companies" },
  { np: "cold callers" },
  { np: "ticket touts" },
  { np: "spammers" },
  { np: "car salesmen" },
  { np: "scammers" },
  { np: "bailiffs" },
];

/** People a furious customer might threaten; all read as the object of a verb. */
export const PERSON_TARGETS: Filler[] = [
  { t: "you" },
  { t: "your manager" },
  { t: "the engineer who came round" },
  { t: "that agent" },
  { t: "your CEO" },
  { t: "the driver" },
  { t: "whoever is reading this" },
  { t: "the guy at your branch" },
  { t: "that woman on the phone" },
  { t: "your whole team" },
];

/** Products and services customers complain about. */
export const THINGS: Filler[] = [
  { thing: "router" },
  { thing: "app" },
  { thing: "phone" },
  { thing: "internet" },
  { thing: "parcel" },
  { thing: "boiler" },
  { thing: "card" },
  { thing: "flight" },
  { thing: "bill" },
  { thing: "meter" },
  { thing: "laptop" },
  { thing: "website" },
];
