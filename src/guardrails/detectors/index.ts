import type { DetectorDefinition } from "../detector.ts";
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

/** Every detector a policy rule can name; adding one is a file or folder plus a line here. */
export const detectorDefinitions = [
  piiDetector,
  secretsDetector,
  injectionDetector,
  toxicityDetector,
  consentDetector,
  commitmentDetector,
  topicDetector,
  competitorDetector,
  lengthDetector,
  disclosureDetector,
  classifierDetector,
  injectionModelDetector,
  abuseModelDetector,
  commitmentModelDetector,
] as const;

export type DetectorName = (typeof detectorDefinitions)[number]["name"];

export function detectorDefinition(name: DetectorName): DetectorDefinition {
  return detectorDefinitions.find((d) => d.name === name) as DetectorDefinition;
}
