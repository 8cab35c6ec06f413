export { createNotifier, type DestinationConfig, destinationSchema } from "./destinations.ts";
export { emailContent, emailNotifier } from "./email-notifier.ts";
export {
  type Digest,
  digestSummary,
  type NotificationItem,
  type Notifier,
  SEVERITIES,
  type Severity,
} from "./notification.ts";
export {
  ALERT_NOTIFY_JOB,
  GROUP_WAIT_MS,
  type NotificationOutbox,
  notificationOutbox,
} from "./notification-outbox.ts";
export {
  type AlertNotifyOptions,
  alertNotifyHandler,
  MAX_ITEMS_PER_MESSAGE,
} from "./notify-job.ts";
export { slackNotifier, slackPayload } from "./slack-notifier.ts";
export { webhookBody, webhookNotifier } from "./webhook-notifier.ts";
