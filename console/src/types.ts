/** The API's JSON shapes the console reads (docs/api.md). */

export interface Finding {
  type: string;
  start: number;
  end: number;
  rule: string;
  score: number;
}
export interface GuardDecision {
  action: string;
  rule?: string;
  reply?: string;
  findings: Finding[];
}
export interface Conversation {
  id: string;
  contactId: string;
  channelId: string;
  channelType: string;
  state: "bot" | "human" | "closed";
  agent: { id: string; version: string | null } | null;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  /** Optional enrichments the server may add (console-requests.md). */
  lastMessage?: { text: string; direction: string; author: string } | null;
  findings?: number;
  contact?: { id: string; displayName: string | null } | null;
}
export interface ConversationEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
  createdAt: string;
}
export interface ConversationDetail extends Conversation {
  identity: { channelType: string; address: string } | null;
  events: ConversationEvent[];
}
export interface Message {
  id: string;
  direction: "inbound" | "outbound";
  author: "customer" | "agent" | "human" | "system";
  text: string;
  status: string;
  error: string | null;
  agent: { id: string; version: string | null } | null;
  meta: { guardrails?: GuardDecision; agentName?: string } & Record<string, unknown>;
  createdAt: string;
}
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
export interface Handoff extends Conversation {
  handedOffAt: string | null;
  reason: string | null;
  summary: string | null;
  takenBy?: string | null;
}
export interface Kill {
  agentId: string;
  reason: string;
  fallback: { type: string; text?: string; version?: string };
  actor?: string;
  killedAt: string;
}
export interface Rollout {
  id: string;
  agentId: string;
  baseline: string;
  candidate: string;
  state: string;
  step: number;
  stepStartedAt: string;
  createdBy: string;
  createdAt: string;
  endedAt: string | null;
}
export interface RateGate {
  metric: string;
  kind: "rate";
  baseline: { n: number; bad: number };
  candidate: { n: number; bad: number };
  harm: { eValue?: number; threshold?: number } & Record<string, unknown>;
  notWorse?: Record<string, unknown>;
  limit?: { max: number; lower: number; upper: number; exceeded: boolean };
  verdict: string;
}
export interface ValueGate {
  metric: string;
  kind: "value";
  value: number | null;
  max: number;
  turns: number;
  minTurns: number;
  verdict: string;
}
export interface RolloutDecision {
  action: string;
  reason: string;
  evidence?: {
    step: number;
    conversations: { baseline: number; candidate: number };
    stepConversations: number;
    stepNeeds: number;
    gates: (RateGate | ValueGate)[];
  };
}
/** A rate gate's evidence after some number of the rollout's conversations. */
export interface EvidencePoint {
  conversations: number;
  baseline: { n: number; bad: number };
  candidate: { n: number; bad: number };
  logE: number;
}
export interface RolloutStatus extends Rollout {
  share: number;
  /** Per rate gate, how its evidence grew conversation by conversation. */
  paths?: Record<string, EvidencePoint[]>;
  spec: { steps: Record<string, unknown>[] } & Record<string, unknown>;
  current: RolloutDecision | null;
  decisions: (RolloutDecision & { createdAt: string; actor?: string; step?: number })[];
}
export interface MetricSeries {
  metric: string;
  labels: Record<string, string>;
  unit: string;
  values: (number | null)[];
}
export interface Metrics {
  from: string;
  to: string;
  step: number;
  timestamps: number[];
  series: MetricSeries[];
}
export interface Incident {
  id: string;
  title: string;
  severity: string;
  status: string;
  source: string;
  openedAt: string;
  timeline?: { seq: number; type: string; actor: string | null; at: string; data: unknown }[];
}
export interface AuditEntry {
  seq: number;
  actor: string;
  action: string;
  target: string | null;
  data: unknown;
  createdAt: string;
}
