export { type ComplianceConfig, complianceConfigSchema } from "./compliance-config.ts";
export { consentGate } from "./consent-gate.ts";
export { deliveryGate } from "./delivery-gate.ts";
