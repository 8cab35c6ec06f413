import { z } from "zod";
import type { ChannelTraits, ChannelTraitsOf } from "../shared/channel-traits.ts";
import type { Channel, ChannelDefinition, ChannelDeps } from "./channel.ts";
import { emailChannel } from "./email/email-channel.ts";
import { genericChannel } from "./generic/generic-channel.ts";
import { sinchChannel } from "./sinch/sinch-channel.ts";
import { telegramChannel } from "./telegram/telegram-channel.ts";
import { twilioChannel } from "./twilio/twilio-channel.ts";
import { webchatChannel } from "./webchat/webchat-channel.ts";
import { whatsappChannel } from "./whatsapp/whatsapp-channel.ts";

/** Every channel type; adding one is a folder plus a line here. */
const definitions = [
  genericChannel,
  webchatChannel,
  twilioChannel,
  whatsappChannel,
  sinchChannel,
  emailChannel,
  telegramChannel,
] as const;

export const channelConfigSchema = z.discriminatedUnion(
  "type",
  definitions.map((d) => d.configSchema) as unknown as [
    (typeof definitions)[number]["configSchema"],
    ...(typeof definitions)[number]["configSchema"][],
  ],
);

export type ChannelConfig = z.infer<typeof channelConfigSchema>;

/** Every channel type name the registry knows, as the compiler sees it. */
export type ChannelType = ChannelConfig["type"];
export const channelTypes: readonly ChannelType[] = definitions.map((d) => d.type as ChannelType);

const traitsByType = new Map<string, ChannelTraits>([
  ...definitions.map((d): [string, ChannelTraits] => [d.type, d.traits]),
  // Not a channel type: the name callers of the guard API and CLI use for "a text message"
  // when they screen text for a channel Mainstay does not run.
  [
    "sms",
    {
      sms: { maxSegments: 3 },
      addresses: "phone",
      confirmsOptOut: true,
      receipts: false,
      idempotentSends: false,
      retriesRefused: false,
    },
  ],
]);

/** What a channel type is like; compliance and guardrails ask this, never the type name. */
export const channelTraitsOf: ChannelTraitsOf = (type) => traitsByType.get(type);

export function createChannel(config: ChannelConfig, deps: ChannelDeps): Channel {
  const definition = definitions.find((d) => d.type === config.type) as ChannelDefinition;
  const channel = definition.create(config, deps);
  return Object.assign(channel, { retriesRefused: definition.traits.retriesRefused });
}
