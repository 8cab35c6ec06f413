/**
 * Promises an agent must not make on its own and advice it must not give. Matched on the
 * folded view of OUTBOUND text. Negated forms ("I can't promise a refund") do not match:
 * the modal verbs exclude "not"/"n't".
 */
export const COMMITMENT_CATEGORIES = [
  "refund",
  "credit",
  "guarantee",
  "legal",
  "medical",
  "financial",
] as const;
export type CommitmentCategory = (typeof COMMITMENT_CATEGORIES)[number];

const WE =
  "\\b(?:i|we)(?:'ll|ll| will(?! not)| shall| can(?!'?t|not)| have| 've|'ve| am going to|'m going to|m going to| are going to|'re going to) (?:\\w+ ){0,2}";

export const COMMITMENT_PATTERNS: Record<CommitmentCategory, RegExp> = {
  refund: new RegExp(
    `${WE}(?:refund|reimburse|issue(?:d)? (?:you )?(?:a |an )?(?:full |partial |complete )?refund|give you (?:a |your )?(?:full )?refund|send you (?:a )?refund|pay you back|return your money)|\\byou(?:'ll| will) (?:receive|get) (?:a |your )?(?:full |complete )?(?:refund|reimbursement|money back)\\b|\\b(?:your |a )?(?:full |complete )?refund (?:has been|is being|will be) (?:issued|processed|approved|sent)\\b|\\breembols(?:aremos|are)\\b|\\bnous vous rembourserons\\b|\\bwir erstatten ihnen\\b`,
    "g",
  ),
  credit: new RegExp(
    `${WE}(?:credit(?:ed)? (?:your account|you)|add(?:ed)? (?:a )?(?:\\$?\\d+ )?(?:dollars? )?credit|appl(?:y|ied) (?:a )?(?:\\$?\\d+ )?credit|give you (?:a )?(?:\\$?\\d+ )?(?:credit|voucher|gift card|discount|compensation))`,
    "g",
  ),
  guarantee:
    /\b(?:i|we) (?:guarantee|promise|assure you|can guarantee|can promise)\b|\b100% (?:sure|certain|guaranteed)\b|\bi give you my word\b|\bwill definitely (?:arrive|be delivered|be fixed|be resolved|be refunded)\b|\b(?:te|le) (?:garantizo|prometo)\b|\bje vous (?:garantis|promets)\b|\bich (?:garantiere|verspreche) ihnen\b/g,
  legal:
    /\byou (?:should|must|need to|can|could) (?:sue|take legal action|file a (?:lawsuit|claim in court)|press charges)\b|\b(?:legally|under the law),? you (?:are|have|can|must|do not|don't)\b|\byou (?:have|'ve got|ve got) a (?:strong |good |valid )?(?:legal )?case\b|\bthis (?:is|constitutes) (?:illegal|a breach of contract|fraud)\b|\bmy legal advice\b/g,
  medical:
    /\byou should (?:take|stop taking|increase|decrease|double|skip) (?:your |the )?(?:\w+ )?(?:medication|medicine|dose|dosage|pills|insulin|antibiotics|\d+ ?mg)\b|\b(?:take|taking) \d+ ?(?:mg|milligrams|ml|pills|tablets)\b|\byou (?:probably |likely |definitely )?have (?:a |an )?(?:infection|diabetes|cancer|covid|flu|depression|allergy|concussion)\b|\bmy medical advice\b|\bno need to see a doctor\b/g,
  financial:
    /\byou should (?:invest|buy|sell|short|put your (?:money|savings))\b|\b(?:guaranteed|risk[- ]free) (?:returns?|profits?|investment|income|gains)\b|\bthis (?:stock|investment|crypto|coin|fund) will (?:go up|rise|double|triple|moon)\b|\bmy (?:financial|investment) advice\b/g,
};
