import { lineExamples, type OwnExample } from "./own-example.ts";

/**
 * Ordinary support messages whose words share letters with swear words ("shipped",
 * "tracking", "class", "Scunthorpe"): character n-grams learned from tweets full of
 * swearing otherwise read "shipped" as "shit" and "tracking" as "fucking". Negatives for
 * the abuse model; each sentence is one item, with two wordings.
 */
const SENTENCES: [string, string][] = [
  [
    "My order shipped on Monday but tracking hasn't updated.",
    "order shipped monday, tracking still not updating",
  ],
  ["Is shipping free if I spend over fifty?", "do you do free shipping over 50?"],
  [
    "I'm checking whether the parcel was shipped to the right address.",
    "just checking it shipped to my new address",
  ],
  ["The tracking page keeps saying 'label created'.", "tracking page stuck on label created"],
  [
    "Can I pick it up from the shop in Scunthorpe instead?",
    "collect from the Scunthorpe store instead please",
  ],
  ["I booked a first class ticket but got standard.", "paid for first class, got a standard seat"],
  ["The password reset link doesn't work.", "password reset link is broken"],
  ["Can you pass me to the billing team?", "please pass this on to billing"],
  ["My assistant will call you back this afternoon.", "my assistant will ring back later today"],
  ["I need assistance with my broadband installation.", "need assistance setting up broadband"],
  ["The docking station isn't charging my laptop.", "docking station not charging laptop"],
  ["We're looking for a classic white shirt in size M.", "classic white shirt size M in stock?"],
  ["The cocktail menu on your website is out of date.", "cocktail menu online is old"],
  ["Clicking the button does nothing on my phone.", "nothing happens when I click the button"],
  [
    "Kicking off the new contract next month, can we sign today?",
    "new contract kicks off next month, sign today?",
  ],
  ["I'd like to cancel the booking for the 14th.", "cancel booking for the 14th please"],
  ["My therapist's invoice was charged twice.", "therapist invoice charged twice"],
  ["The analysis report in my account is blank.", "analysis report blank in my account"],
  ["Shipment is stuck in customs, what do I do?", "shipment stuck at customs"],
  ["Your shiitake mushrooms were out of stock again.", "shiitake mushrooms out of stock again"],
  ["The hitchhiker's guide box set arrived without disc 2.", "box set arrived, disc 2 missing"],
  ["I'm locking my card until I find my wallet.", "locking my card for now"],
  ["The stock count on the app says 0 but the shop has it.", "app stock count wrong"],
  ["Is the Essex branch open on Sundays?", "essex branch sunday hours?"],
  ["I'm a bass player, do you sell amp cables?", "bass amp cables?"],
  ["My grandmother Dickens wants the account in her name.", "account in the name of Mrs Dickens"],
  ["The hancock street store never answers the phone.", "hancock st store doesn't pick up"],
  ["Shirts shipped separately arrived before the trousers.", "shirts came before the trousers"],
  ["Please tick the box for paperless billing.", "tick paperless billing for me"],
  ["The package was knocking around the depot for a week.", "package sat in the depot a week"],
  ["I'm tracking two orders, one is late.", "two orders, one late"],
  ["Is the shuttle bus included with the hotel booking?", "shuttle included with booking?"],
  ["Please don't ship until the 3rd, I'm away.", "hold shipping until the 3rd"],
  ["The cucumber cocktail recipe card was missing from the box.", "recipe card missing"],
  ["Sticking with my current plan for now, thanks.", "I'll stick with my plan"],
  ["Can I change the shipping method to express?", "switch to express shipping"],
  ["My kid scratched the screen, is that covered?", "screen scratched, covered?"],
  ["The buckle on the backpack snapped.", "backpack buckle broke"],
  ["The dock at the marina office is closed for repairs.", "marina dock closed?"],
  ["Tucking the receipt in the box was a nice touch.", "thanks for the receipt in the box"],
];

export function lookalikeWordExamples(): OwnExample[] {
  return lineExamples("lookalike-word", SENTENCES);
}
