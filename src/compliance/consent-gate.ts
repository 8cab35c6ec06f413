import { channelTraitsOf } from "../channels/index.ts";
import { type ConversationService, jobReads, processJobPayload } from "../conversations/index.ts";
import { createGuard, type Finding, policySchema } from "../guardrails/index.ts";
import { type JobHandler, readJobPayload } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import type {
  ConsentEntry,
  ConsentPurpose,
  ConsentScope,
  ConsentState,
  Conversation,
  Message,
} from "../store/index.ts";
import type { ComplianceConfig } from "./compliance-config.ts";
import { consentRule, refusingEntries, revokedPurposes } from "./consent-purpose.ts";

// Consent is detected here, independently of the configured guardrails policy: a policy
// edit must never be able to switch opt-out handling off.
/** Recent messages a retried job checks for its answer; the runtime reads as many. */
const RECENT = 20;

const consentGuard = createGuard(
  policySchema.parse({
    rules: [{ id: "consent", detector: "consent", directions: ["inbound"], action: "tag" }],
  }),
);

export interface ConsentGateOptions {
  service: ConversationService;
  config: ComplianceConfig;
  clock: Clock;
}

/**
 * Wraps the `process` job: STOP, START and HELP (and natural-language revocations) are
 * handled here and never reach the agent. After an opt-out the customer's messages are
 * kept but not answered until they opt in again.
 */
export function consentGate(inner: JobHandler, options: ConsentGateOptions): JobHandler {
  const { service } = options;
  return {
    ...inner,
    async run(job) {
      const { conversationId, messageId } = readJobPayload(job, processJobPayload);
      const reads = jobReads(job, service.store);
      const [conversation, recent] = await Promise.all([
        reads.conversation(conversationId),
        reads.recent(conversationId, RECENT),
      ]);
      // The line is among the newest unless many came after it.
      const inbound = recent.find((m) => m.id === messageId) ?? (await reads.message(messageId));
      if (!conversation || !inbound) return inner.run(job);
      // A retried job whose answer was already stored must not record or answer twice.
      if (recent.some((m) => m.meta["inReplyTo"] === messageId)) return;
      const identity = await reads.identity(conversation.identityId);
      if (!identity) return inner.run(job);
      const inForce = await service.store.consent.inForce({
        contactId: conversation.contactId,
        channelId: conversation.channelId,
        address: identity.address,
      });
      const finding = consentFinding(inbound.text);
      const context = { conversation, inbound, address: identity.address, options };
      if (finding?.type === "consent.opt_out") return optOut(context, finding);
      // Only a service opt-out silences the conversation; marketing ones leave replies on.
      const silenced = refusingEntries(inForce, "service");
      if (silenced.length > 0) {
        if (finding?.type === "consent.opt_in") return optIn(context, finding, inForce);
        return; // opted out: stored, never answered
      }
      if (finding?.type === "consent.help") return reply(context, options.config.helpText, "help");
      return inner.run(job);
    },
  };
}

function consentFinding(text: string): Finding | undefined {
  return consentGuard.check({ direction: "inbound", channel: "any", text }).findings[0];
}

interface GateContext {
  conversation: Conversation;
  inbound: Message;
  address: string;
  options: ConsentGateOptions;
}

/**
 * Record the revocation for each purpose it takes back, scoped as configured. The opt-out
 * confirmation says no more messages will come, so it goes only when service is revoked.
 */
async function optOut(ctx: GateContext, finding: Finding) {
  const { conversation, inbound, options } = ctx;
  const rule = consentRule(inbound.text, finding);
  const purposes = revokedPurposes(rule);
  const changes = purposes.map((purpose) => ({
    purpose,
    scope: options.config.revocationScope[purpose],
  }));
  const type = conversation.channelType;
  const listed = options.config.confirmOptOutOn;
  const confirms = listed ? listed.includes(type) : channelTraitsOf(type)?.confirmsOptOut === true;
  const confirm = confirms && purposes.includes("service");
  const text = confirm ? options.config.optOutConfirmation : undefined;
  await record(ctx, "opted_out", { finding, rule }, changes, text);
}

/** An opt-in lifts every opt-out that silenced this conversation, in its own series. */
async function optIn(ctx: GateContext, finding: Finding, inForce: ConsentEntry[]) {
  const lifted = inForce.filter((e) => e.state === "opted_out");
  const changes = lifted.map((e) => ({ purpose: e.purpose, scope: e.scope }));
  const rule = consentRule(ctx.inbound.text, finding);
  await record(ctx, "opted_in", { finding, rule }, changes, ctx.options.config.optInConfirmation);
}

/** Record the entries with their evidence, and queue the confirmation, in one transaction. */
async function record(
  ctx: GateContext,
  state: ConsentState,
  found: { finding: Finding; rule: Record<string, string> },
  changes: { purpose: ConsentPurpose; scope: ConsentScope }[],
  confirmation: string | undefined,
) {
  const { conversation, inbound, address, options } = ctx;
  const now = options.clock.now();
  // Evidence names the message and the rule, never quotes it: it must survive erasure.
  const evidence = {
    messageId: inbound.id,
    detected: found.finding.type,
    ...found.rule,
    channelType: conversation.channelType,
    at: new Date(now).toISOString(),
  };
  await options.service.transact(async (tx) => {
    for (const change of changes) {
      await tx.consent.record(
        {
          contactId: conversation.contactId,
          identityId: conversation.identityId,
          channelId: conversation.channelId,
          address,
          state,
          evidence,
          ...change,
        },
        now,
      );
    }
    await tx.events.append(
      conversation.id,
      `consent.${state}`,
      { address, changes, ...evidence },
      now,
    );
    if (confirmation) {
      await options.service.queueOutbound(tx, conversation, {
        text: confirmation,
        author: "system",
        meta: { inReplyTo: inbound.id, compliance: `${state}_confirmation` },
      });
    }
  });
}

async function reply(ctx: GateContext, text: string, kind: string) {
  const { conversation, inbound, options } = ctx;
  await options.service.transact((tx) =>
    options.service.queueOutbound(tx, conversation, {
      text,
      author: "system",
      meta: { inReplyTo: inbound.id, compliance: kind },
    }),
  );
}
