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
  /** `name`: a readable name (display name, phone, email, else "Visitor 4821"). */
  contact?: { id: string; displayName: string | null; name?: string } | null;
  /** The inbox (migration 14): who answers it, how it ended, its labels. */
  assignee?: string | null;
  resolution?: "resolved" | "unresolved" | null;
  labels?: string[];
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
  /** What became of it (docs/outcomes.md); absent on servers before outcome labels. */
  outcome?: OutcomeLabelled | null;
}
/** A conversation's outcome label and the rule that gave it. */
export interface OutcomeLabelled {
  label: string;
  reason: string;
}
export interface Message {
  id: string;
  direction: "inbound" | "outbound";
  author: "customer" | "agent" | "human" | "system";
  text: string;
  status: string;
  error: string | null;
  agent: { id: string; version: string | null } | null;
  meta: { guardrails?: GuardDecision; agentName?: string; disclosure?: string } & Record<
    string,
    unknown
  >;
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
/** One line of a multi-line string's diff (src/agents/versions/diff-lines.ts). */
export type LineChange = { op: " " | "-" | "+"; text: string } | { op: "…"; skipped: number };
/** What changed between two agent versions, path by path (`GET .../diff/...`). */
export type DocumentChange =
  | { kind: "added"; path: string; after: unknown }
  | { kind: "removed"; path: string; before: unknown }
  | { kind: "changed"; path: string; before: unknown; after: unknown; lines?: LineChange[] };
export interface VersionDiffBody {
  changes: DocumentChange[];
  text: string;
}
export interface FiringAlert {
  labels: Record<string, string>;
  since: string;
  value: number | null;
  reference: number | null;
  incidentId: string | null;
}
export interface AlertRuleState {
  name: string;
  summary: string | null;
  metric: string;
  windowMinutes: number;
  condition: Record<string, unknown>;
  severity: string;
  enabled: boolean;
  state: "ok" | "firing";
  firing: FiringAlert[];
}
/** A `change` event of the live stream: a rollout, agent, alert or incident changed. */
export interface ControlChange {
  topic: "rollout" | "agent" | "alert" | "incident";
  action?: string;
  target?: string;
}
/** A team note on a conversation: never sent to the customer. */
export interface Note {
  id: string;
  author: string;
  text: string;
  createdAt: string;
}
/** A saved reply an operator inserts by its shortcut. */
export interface CannedResponse {
  id: string;
  shortcut: string;
  text: string;
  createdBy: string;
  updatedAt: string;
}
/** One step of an agent turn's trace (GET /api/v1/conversations/{id}/traces). */
export type TraceStep = { at: number } & (
  | {
      kind: "prompt";
      system: string;
      variables: Record<string, string>;
      history: number;
      tools: string[];
    }
  | { kind: "knowledge"; query: string; entries: { id: string; question: string; score: number }[] }
  | { kind: "tool"; name: string; arguments: string; result: string; status: string; ms: number }
  | {
      kind: "provider";
      provider: string;
      model: string;
      outcome: "ok" | "error" | "skipped";
      ms: number;
      error?: string;
      tokens?: { input: number; output: number };
    }
  | { kind: "handoff"; reason: string; detail?: string }
);
/** What one agent turn did, by the reply it led to (none for a shadow turn). */
export interface TurnTrace {
  turnId: string;
  messageId: string;
  replyId: string | null;
  steps: TraceStep[];
  createdAt: string;
}

/** A managed API key as `GET /api/v1/api-keys` lists it (never with its token). */
export interface ApiKey {
  id: string;
  name: string;
  role: "viewer" | "agent" | "admin";
  tokenPrefix: string;
  scopes: { channels?: string[]; agents?: string[] } | null;
  status: "live" | "expired" | "revoked";
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  rotatedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  lastUsedAt: string | null;
}
