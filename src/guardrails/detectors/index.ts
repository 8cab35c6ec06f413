import { classifierDetector } from "./classifier/classifier-detector.ts";
import { commitmentDetector } from "./commitment-detector.ts";
import { competitorDetector } from "./competitor-detector.ts";
import { consentDetector } from "./consent-detector.ts";
import { disclosureDetector } from "./disclosure-detector.ts";
import { injectionDetector } from "./injection/injection-detector.ts";
import {
  abuseModelDetector,
  commitmentModelDetector,
  injectionModelDetector,
} from "./learned-detectors.ts";
import { lengthDetector } from "./length-detector.ts";
import { piiDetector } from "./pii/pii-detector.ts";
import { secretsDetector } from "./secrets-detector.ts";
import { topicDetector } from "./topic-detector.ts";
import { toxicityDetector } from "./toxicity-detector.ts";

/** Every detector a policy rule can name, by the name it uses. */
export const detectorKinds = {
  pii: piiDetector,
  secrets: secretsDetector,
  injection: injectionDetector,
  toxicity: toxicityDetector,
  consent: consentDetector,
  commitment: commitmentDetector,
  topic: topicDetector,
  competitor: competitorDetector,
  length: lengthDetector,
  ai_disclosure: disclosureDetector,
  classifier: classifierDetector,
  injection_model: injectionModelDetector,
  abuse_model: abuseModelDetector,
  commitment_model: commitmentModelDetector,
};
