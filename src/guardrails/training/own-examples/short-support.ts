import { lineExamples, type OwnExample } from "./own-example.ts";

/**
 * Short everyday lines from customers, agents and operators. A short text has few
 * n-grams, so a single word a template used often ("person" in "a disabled person") could
 * carry it over a threshold: "A person here" from an operator was blocked as hate.
 * Negatives for every model; each line is one item, with two wordings.
 */
const LINES: [string, string][] = [
  ["A person here", "a real person here now"],
  ["Hi, a human is taking over this chat.", "hi, a human agent is taking over"],
  ["Someone from the team will be with you shortly.", "a team member will join soon"],
  ["Ana here, I'll help you from now on.", "this is Ana, taking over from the bot"],
  ["You're now talking to a person.", "you are now chatting with a person"],
  ["Can I talk to a human please?", "human please"],
  ["Is there a real person there?", "are you a real person?"],
  ["Which person did I speak to yesterday?", "who was the person I spoke to?"],
  ["The person at the door said it was delivered.", "the delivery person left it at the door"],
  ["Each person on the plan gets 10GB.", "10GB per person on the family plan"],
  ["The account is in my partner's name.", "account's in my partner's name"],
  ["My mum is the account holder.", "account holder is my mother"],
  ["I'm calling for my elderly father.", "calling on behalf of my dad, he's 84"],
  ["My son is autistic and needs the simple phone.", "simple phone for my autistic son please"],
  ["Do you have a wheelchair-accessible store?", "is the shop wheelchair accessible"],
  ["My wife will pick up the parcel.", "wife is collecting the parcel"],
  ["Is there a women's size in this jacket?", "women's sizes available?"],
  ["Can the engineer speak Polish?", "does the engineer speak polish"],
  ["My neighbour is from Nigeria and can sign for it.", "nigerian neighbour can sign"],
  ["Are you open during Ramadan evenings?", "ramadan opening hours?"],
  ["We're a Jewish school ordering for Hanukkah.", "school order for hanukkah"],
  ["Gay couples discount on the honeymoon package?", "couples discount for two men?"],
  ["The old man at the counter was very kind.", "the older gentleman at the till was lovely"],
  ["The young lady on the phone fixed it.", "the girl on the phone sorted it"],
  ["Thanks, person!", "thank you kind human"],
  ["OK", "ok thx"],
  ["Hello?", "hello anyone there"],
  ["Still there?", "u still there?"],
  ["Great, thanks a lot.", "great thx"],
  ["One moment please.", "one sec"],
  ["Let me check that for you.", "let me look into that"],
  ["I'll pass you to a colleague.", "passing you to my colleague"],
  ["Sorry, who am I speaking with?", "who's this?"],
  ["A colleague will call you back.", "colleague will ring you back"],
  ["The person who ordered it has moved away.", "the person who ordered has moved"],
  ["My carer manages my account.", "my carer handles my account"],
  ["I'm deaf, please text rather than call.", "deaf customer, text only please"],
  ["I'm blind and need large print bills.", "partially sighted, large print please"],
  ["Can a family member use my discount?", "can my family use my discount"],
  ["Refugee council asked me to contact you.", "the refugee charity told me to call"],
];

export function shortSupportExamples(model: string): OwnExample[] {
  return lineExamples(`short-${model}`, LINES);
}
