export { type ComplianceConfig, complianceConfigSchema } from "./compliance-config.ts";
export { consentGate } from "./consent-gate.ts";
export { type ConsentLedger, type ConsentState, consentLedger } from "./consent-ledger.ts";
export { deliveryGate } from "./delivery-gate.ts";
