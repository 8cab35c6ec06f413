export {
  type Channel,
  type ChannelDefinition,
  type ChannelDeps,
  ChannelSendError,
  type OutboundMessage,
  type SendResult,
  type VerificationRequest,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookResult,
} from "./channel.ts";
export { type DeliveryOptions, deliveryHandler } from "./delivery.ts";
export { SIGNATURE_HEADER, signGenericBody } from "./generic/generic-channel.ts";
export { type ChannelConfig, channelConfigSchema, createChannel } from "./registry.ts";
export { retryAfterMs, type VendorRequestOptions, vendorRequest } from "./vendor-request.ts";
export {
  type ChatMessageView,
  type ChatSocket,
  isWebchatChannel,
  type ServerFrame,
  type WebchatChannel,
} from "./webchat/webchat-channel.ts";
