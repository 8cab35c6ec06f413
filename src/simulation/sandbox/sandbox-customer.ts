import type { TurnRecord } from "../../evaluation/index.ts";
import { jobQueue } from "../../jobs/index.ts";
import { systemClock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { conversationSettled } from "./conversation-settled.ts";
import { readTurn } from "./read-turn.ts";
import type { SandboxChannel } from "./sandbox-channel.ts";
import type { Sandbox } from "./start-sandbox.ts";

/** How long a turn may take: checks of the jobs table, this far apart. */
export interface TurnWait {
  polls: number;
  intervalMs: number;
}

/** The default: about a minute, more than an agent's timeout with a retry. */
export const DEFAULT_TURN_WAIT: TurnWait = { polls: 3000, intervalMs: 20 };

export interface PipelineTurn {
  record: TurnRecord;
  /** A person has the conversation (state `human`): the agent answers nothing more. */
  withPerson: boolean;
}

/** One customer of a sandbox, writing through a channel's front door. */
export interface SandboxCustomer {
  say(text: string): Promise<PipelineTurn>;
}

/**
 * A new customer (a new address) on `channel`: each line is posted as the vendor posts it,
 * the conversation's jobs are waited for, and the turn is read from the sandbox's store
 * and its capture server. Throws MS_SIM_STUCK when the jobs do not settle in time.
 */
export function sandboxCustomer(
  sandbox: Sandbox,
  channel: SandboxChannel,
  options: { name?: string; wait: TurnWait },
): SandboxCustomer {
  const { store } = sandbox.instance;
  const address = channel.address(sandbox.nextCustomer());
  let conversationId: string | undefined;
  const seen = { message: undefined as string | undefined, seq: 0, capture: 0, lines: 0 };
  const locate = async () => {
    const identity = await store.contacts.findIdentity(channel.type, address);
    return identity && (await store.conversations.findOpen(identity.id, channel.id))?.id;
  };
  return {
    async say(text) {
      seen.lines++;
      const line = { address, text, id: `${address}-${seen.lines}`, ...pick(options.name) };
      const door = await channel.post(sandbox.instance.url, sandbox.secret, line);
      const refused = door.status >= 300 ? `HTTP ${door.status} ${door.body}` : undefined;
      conversationId ??= await locate();
      if (!conversationId) {
        if (refused) return { record: readTurn(nothingStored(text, refused)), withPerson: false };
        throw new MainstayError(
          "MS_SIM_STUCK",
          `${channel.id} took "${text}" but stored no conversation`,
        );
      }
      const settled = await conversationSettled(jobQueue(store.db), conversationId, {
        ...options.wait,
        soonMs: 1000,
        now: systemClock.now,
      });
      if (!settled) {
        throw new MainstayError(
          "MS_SIM_STUCK",
          `line ${seen.lines}: the conversation's jobs were still due or running after ${options.wait.polls} checks of the job queue`,
        );
      }
      const messages = await store.messages.list(conversationId, seen.message, 500);
      const events = await store.events.list(conversationId, seen.seq);
      const lines = new Set(messages.filter((m) => m.direction === "inbound").map((m) => m.id));
      const traces = (await store.turnTraces.forConversation(conversationId, 50)).filter((t) =>
        lines.has(t.messageId),
      );
      const requests = sandbox.capture.requests.slice(seen.capture);
      const received = requests
        .map((r) => channel.sendOf(r))
        .filter((s) => s?.to === address)
        .map((s) => s!.text);
      seen.message = messages.at(-1)?.id ?? seen.message;
      seen.seq = events.at(-1)?.seq ?? seen.seq;
      seen.capture += requests.length;
      const record = readTurn({
        messages,
        events,
        traces,
        received,
        line: text,
        ...(refused ? { refused } : {}),
      });
      const conversation = await store.conversations.get(conversationId);
      return { record, withPerson: conversation?.state === "human" };
    },
  };
}

const pick = (name: string | undefined) => (name ? { name } : {});

const nothingStored = (line: string, refused: string) => ({
  messages: [],
  events: [],
  traces: [],
  received: [],
  line,
  refused,
});
