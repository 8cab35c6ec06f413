export {
  type Channel,
  type ChannelDefinition,
  type ChannelDeps,
  ChannelSendError,
  type LiveReplies,
  type OutboundMessage,
  type SendResult,
  type SignedNonce,
  type VerificationRequest,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookResult,
} from "./channel.ts";
export { type DeliveryOptions, deliveryHandler } from "./delivery.ts";
export {
  SIGNATURE_HEADER,
  signGenericBody,
  TIMESTAMP_HEADER,
} from "./generic/generic-signature.ts";
export {
  type ChannelConfig,
  type ChannelType,
  channelConfigSchema,
  channelTraitsOf,
  channelTypes,
  createChannel,
} from "./registry.ts";
export { twilioSignature } from "./twilio/twilio-signature.ts";
export { type VendorRequestOptions, vendorRequest } from "./vendor-request.ts";
export {
  type ChatMessageView,
  type ChatSocket,
  isWebchatChannel,
  type ServerFrame,
  type WebchatChannel,
} from "./webchat/webchat-channel.ts";
export { chatView, WEBCHAT_CHANNEL, WebchatRelay } from "./webchat/webchat-relay.ts";
