import ipaddr from "ipaddr.js";

/**
 * Which addresses outbound requests may reach. Only public unicast addresses by default:
 * loopback, private (RFC 1918, fc00::/7), link-local (the cloud metadata service at
 * 169.254.169.254 among them), CGNAT, unspecified, multicast, reserved and documentation
 * ranges are refused, and so are IPv6 forms that carry an IPv4 address (mapped, 6to4,
 * NAT64), judged by the address inside. `allow` lists CIDR ranges, single addresses and
 * host names that may be reached anyway (a local model server, an internal CRM).
 */
export interface AddressPolicy {
  /** Why `address` may not be reached for a request to `host`, or undefined when it may. */
  refusal(address: string, host: string): string | undefined;
}

const PUBLIC = new Set(["unicast"]);

/** Host names that name a metadata service whatever they resolve to. */
const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata", "instance-data"]);

export function addressPolicy(allow: readonly string[] = []): AddressPolicy {
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  const hosts = new Set<string>();
  for (const entry of allow) {
    const range = parseRange(entry);
    if (range) ranges.push(range);
    else hosts.add(entry.toLowerCase());
  }
  return {
    refusal(address, host) {
      const name = host.toLowerCase().replace(/\.$/, "");
      if (hosts.has(name)) return undefined;
      if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
      const parsed = embeddedV4(ipaddr.parse(address));
      if (ranges.some(([net, bits]) => net.kind() === parsed.kind() && parsed.match(net, bits))) {
        return undefined;
      }
      if (METADATA_HOSTS.has(name)) return "a cloud metadata service";
      const range = parsed.range();
      return PUBLIC.has(range) ? undefined : `${parsed.toString()} is a ${range} address`;
    },
  };
}

/** The CIDR range (or single address) `entry` names, or undefined for a host name. */
function parseRange(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  if (entry.includes("/")) return ipaddr.parseCIDR(entry);
  if (!ipaddr.isValid(entry)) return undefined;
  const address = ipaddr.parse(entry);
  return [address, address.kind() === "ipv4" ? 32 : 128];
}

/** The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), else the address itself. */
function embeddedV4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === "ipv4") return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const range = v6.range();
  const parts = v6.toByteArray();
  // RFC 6052 (64:ff9b::/96): the last 32 bits; RFC 3056 (2002::/16): bits 16-48.
  if (range === "rfc6052") return ipaddr.fromByteArray(parts.slice(12)) as ipaddr.IPv4;
  if (range === "6to4") return ipaddr.fromByteArray(parts.slice(2, 6)) as ipaddr.IPv4;
  return v6;
}

/** A list entry that is neither a CIDR range, an address nor a plausible host name. */
export function invalidAllowEntry(entry: string): string | undefined {
  if (entry.includes("/")) {
    try {
      ipaddr.parseCIDR(entry);
      return undefined;
    } catch {
      return `"${entry}" is not a CIDR range like 10.0.0.0/8`;
    }
  }
  if (ipaddr.isValid(entry) || /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(entry)) return undefined;
  return `"${entry}" is not an address, a CIDR range or a host name`;
}
