import { channelTraitsOf } from "../channels/index.ts";
import { type ConversationService, jobReads, processJobPayload } from "../conversations/index.ts";
import { createGuard, type Finding, policySchema } from "../guardrails/index.ts";
import { type JobHandler, readJobPayload } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { Conversation, Message } from "../store/index.ts";
import type { ComplianceConfig } from "./compliance-config.ts";

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
      const [conversation, inbound] = await Promise.all([
        reads.conversation(conversationId),
        reads.message(messageId),
      ]);
      if (!conversation || !inbound) return inner.run(job);
      // A retried job whose answer was already stored must not record or answer twice.
      const recent = await reads.recent(conversationId, RECENT);
      if (recent.some((m) => m.meta["inReplyTo"] === messageId)) return;
      const identity = await reads.identity(conversation.identityId);
      if (!identity) return inner.run(job);
      const current = (
        await service.store.contacts.consentState(conversation.channelId, identity.address)
      )?.state;
      const finding = consentFinding(inbound.text);
      const context = { conversation, inbound, address: identity.address, options };
      if (finding?.type === "consent.opt_out") return optOut(context, finding);
      if (current === "opted_out") {
        if (finding?.type === "consent.opt_in") return optIn(context, finding);
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

async function optOut(ctx: GateContext, finding: Finding) {
  const { conversation, options } = ctx;
  const type = conversation.channelType;
  const listed = options.config.confirmOptOutOn;
  const confirm = listed ? listed.includes(type) : channelTraitsOf(type)?.confirmsOptOut === true;
  await record(ctx, "opted_out", finding, confirm ? options.config.optOutConfirmation : undefined);
}

async function optIn(ctx: GateContext, finding: Finding) {
  await record(ctx, "opted_in", finding, ctx.options.config.optInConfirmation);
}

/** Record the change with its evidence, and queue the confirmation, in one transaction. */
async function record(
  ctx: GateContext,
  state: "opted_out" | "opted_in",
  finding: Finding,
  confirmation: string | undefined,
) {
  const { conversation, inbound, address, options } = ctx;
  const now = options.clock.now();
  const evidence = {
    messageId: inbound.id,
    detected: finding.type,
    span: inbound.text.slice(finding.start, finding.end),
    ...finding.evidence,
  };
  await options.service.transact(async (tx) => {
    await tx.contacts.recordConsent(
      {
        channelId: conversation.channelId,
        address,
        contactId: conversation.contactId,
        state,
        evidence,
      },
      now,
    );
    await tx.events.append(conversation.id, `consent.${state}`, { address, ...evidence }, now);
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
