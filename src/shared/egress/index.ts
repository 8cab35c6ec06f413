export { type AddressPolicy, addressPolicy, invalidAllowEntry } from "./address-policy.ts";
export {
  createEgress,
  EGRESS_REFUSED,
  type EgressFetch,
  type EgressOptions,
  type EgressRequest,
  isEgressRefusal,
  type Resolve,
} from "./egress.ts";
