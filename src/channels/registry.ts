import { z } from "zod";
import type { Channel, ChannelDefinition, ChannelDeps } from "./channel.ts";
import { emailChannel } from "./email/email-channel.ts";
import { genericChannel } from "./generic/generic-channel.ts";
import { sinchChannel } from "./sinch/sinch-channel.ts";
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
] as const;

export const channelConfigSchema = z.discriminatedUnion(
  "type",
  definitions.map((d) => d.configSchema) as unknown as [
    (typeof definitions)[number]["configSchema"],
    ...(typeof definitions)[number]["configSchema"][],
  ],
);

export type ChannelConfig = z.infer<typeof channelConfigSchema>;

export function createChannel(config: ChannelConfig, deps: ChannelDeps): Channel {
  const definition = definitions.find((d) => d.type === config.type) as ChannelDefinition;
  return definition.create(config, deps);
}
