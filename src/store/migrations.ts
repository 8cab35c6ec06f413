import type { Database, Dialect, Executor } from "./database.ts";
import { rebuildEvidenceChunk } from "./repositories/rollout-evidence-rebuild.ts";
import { backfillSearch, FTS_PLAINTEXT_ONLY, SEARCH_INDEX } from "./search-index.ts";

interface Migration {
  version: number;
  name: string;
  /** Portable statements; `{{serial}}` becomes each engine's auto-increment primary key. */
  statements: string[];
  /** Statements only one engine understands (triggers). */
  only?: Partial<Record<Dialect, string[]>>;
  /**
   * Work on the rows already stored, after the statements: one chunk per transaction, so
   * no transaction holds SQLite's only connection (or grows its WAL) for long. Given where
   * the last chunk stopped ("" at first), a chunk returns where it stopped, or null when
   * done. Progress is kept in `migration_backfills`, so a restart resumes, and the
   * migration counts as applied only once its backfill is done.
   */
  backfill?: Partial<Record<Dialect, Backfill>>;
}

type Backfill = (tx: Executor, after: string) => Promise<string | null>;

const SERIAL: Record<Dialect, string> = {
  sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT",
  postgres: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
};

/** Append only: a released migration is never edited, a new one is added. */
/** The sealed columns search indexes: table, column, and `search_tokens.source`. */
const SEARCH_TOKEN_TRIGGERS = [
  ["messages", "text", "messages"],
  ["identities", "address", "identities"],
] as const;

/** SQLite trigger body: the old row's `search_tokens` entry, found by its indexed `row_id`. */
const dropSearchTokens = (source: string) =>
  `DELETE FROM search_tokens WHERE source = '${source}' AND rowid IN (SELECT rowid FROM
    search_tokens WHERE search_tokens MATCH 'row_id : "' || REPLACE(old.id, '"', '""') || '"');`;

export const migrations: Migration[] = [
  {
    version: 1,
    name: "conversations, messages, events, jobs",
    statements: [
      `CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        display_name TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL)`,
      `CREATE TABLE identities (
        id TEXT PRIMARY KEY,
        contact_id TEXT NOT NULL REFERENCES contacts(id),
        channel_type TEXT NOT NULL,
        address TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (channel_type, address))`,
      `CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        contact_id TEXT NOT NULL REFERENCES contacts(id),
        identity_id TEXT NOT NULL REFERENCES identities(id),
        channel_id TEXT NOT NULL,
        channel_type TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('bot', 'human', 'closed')),
        agent_id TEXT,
        agent_version TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        last_message_at BIGINT NOT NULL)`,
      "CREATE INDEX conversations_identity ON conversations (identity_id, channel_id, state)",
      "CREATE INDEX conversations_contact ON conversations (contact_id)",
      `CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        channel_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        author TEXT NOT NULL CHECK (author IN ('customer', 'agent', 'human', 'system')),
        text TEXT NOT NULL,
        attachments TEXT NOT NULL DEFAULT '[]',
        provider_message_id TEXT,
        status TEXT NOT NULL
          CHECK (status IN ('received', 'queued', 'sent', 'delivered', 'read', 'failed')),
        error TEXT,
        agent_id TEXT,
        agent_version TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        created_at BIGINT NOT NULL,
        queued_at BIGINT,
        sent_at BIGINT,
        delivered_at BIGINT,
        read_at BIGINT,
        failed_at BIGINT)`,
      `CREATE UNIQUE INDEX messages_inbound_dedupe ON messages (channel_id, provider_message_id)
        WHERE direction = 'inbound' AND provider_message_id IS NOT NULL`,
      "CREATE INDEX messages_conversation ON messages (conversation_id, id)",
      "CREATE INDEX messages_provider ON messages (channel_id, provider_message_id)",
      `CREATE TABLE events (
        seq {{serial}},
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at BIGINT NOT NULL)`,
      "CREATE INDEX events_conversation ON events (conversation_id, seq)",
      `CREATE TABLE jobs (
        id {{serial}},
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        queue_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ready', 'running', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        run_at BIGINT NOT NULL,
        locked_until BIGINT,
        locked_by TEXT,
        last_error TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL)`,
      "CREATE INDEX jobs_due ON jobs (status, run_at)",
      "CREATE INDEX jobs_queue ON jobs (queue_key, id)",
    ],
    only: {
      sqlite: [
        `CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
          BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`,
        `CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
          BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`,
      ],
      postgres: [
        `CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'events are append-only'; END $$`,
        `CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
          FOR EACH ROW EXECUTE FUNCTION events_append_only()`,
      ],
    },
  },
  {
    version: 2,
    name: "claim jobs in id order",
    // Lets the claim walk ready jobs in id order and stop at its LIMIT, instead of sorting
    // every due job: the cost of a claim no longer grows with the backlog.
    // (The old (status, run_at) index made planners sort every due job first.)
    statements: ["DROP INDEX jobs_due", "CREATE INDEX jobs_ready ON jobs (status, id)"],
  },
  {
    version: 3,
    name: "consent changes, contact merges, verified phone on identities",
    statements: [
      // Every opt-out and opt-in, with its evidence; the latest row per address is the state.
      `CREATE TABLE consent_changes (
        seq {{serial}},
        channel_id TEXT NOT NULL,
        address TEXT NOT NULL,
        contact_id TEXT NOT NULL REFERENCES contacts(id),
        state TEXT NOT NULL CHECK (state IN ('opted_out', 'opted_in')),
        evidence TEXT NOT NULL,
        created_at BIGINT NOT NULL)`,
      "CREATE INDEX consent_changes_address ON consent_changes (channel_id, address, seq)",
      "CREATE INDEX consent_changes_contact ON consent_changes (contact_id, seq)",
      // A merge moves identities and conversations; what moved is kept so it can be undone.
      `CREATE TABLE contact_merges (
        id TEXT PRIMARY KEY,
        target_contact_id TEXT NOT NULL REFERENCES contacts(id),
        source_contact_id TEXT NOT NULL REFERENCES contacts(id),
        identity_ids TEXT NOT NULL,
        conversation_ids TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        undone_at BIGINT)`,
      "CREATE INDEX contact_merges_target ON contact_merges (target_contact_id)",
      // E.164 number the channel vouches for (carrier sender id, WhatsApp account number).
      "ALTER TABLE identities ADD COLUMN phone TEXT",
      "CREATE INDEX identities_phone ON identities (phone)",
    ],
  },
  {
    version: 4,
    name: "agent versions",
    statements: [
      // Immutable: a version is its content hash, so a row is written once, never updated.
      `CREATE TABLE agent_versions (
        agent_id TEXT NOT NULL,
        version TEXT NOT NULL,
        document TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (agent_id, version))`,
      // The version new conversations of an agent start on.
      `CREATE TABLE agent_active (
        agent_id TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        FOREIGN KEY (agent_id, version) REFERENCES agent_versions (agent_id, version))`,
    ],
  },
  {
    version: 5,
    name: "rollouts, outcomes, kill switch",
    statements: [
      `CREATE TABLE rollouts (
        id TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        baseline TEXT NOT NULL,
        candidate TEXT NOT NULL,
        spec TEXT NOT NULL,
        state TEXT NOT NULL,
        step INTEGER NOT NULL,
        step_started_at BIGINT NOT NULL,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        ended_at BIGINT)`,
      "CREATE INDEX rollouts_agent ON rollouts (agent_id, state)",
      // Every decision with the evidence it was taken on: append only.
      `CREATE TABLE rollout_decisions (
        seq {{serial}},
        rollout_id TEXT NOT NULL REFERENCES rollouts(id),
        step INTEGER NOT NULL,
        action TEXT NOT NULL,
        reason TEXT NOT NULL,
        evidence TEXT NOT NULL,
        actor TEXT NOT NULL,
        created_at BIGINT NOT NULL)`,
      "CREATE INDEX rollout_decisions_rollout ON rollout_decisions (rollout_id, seq)",
      // One row per agent turn, sent or shadow: the facts metrics, rollouts and evals read.
      `CREATE TABLE agent_turns (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        reply_id TEXT,
        agent_id TEXT NOT NULL,
        agent_version TEXT NOT NULL,
        shadow INTEGER NOT NULL,
        rollout_id TEXT,
        channel_type TEXT NOT NULL,
        latency_ms INTEGER NOT NULL,
        provider TEXT,
        model TEXT,
        input_tokens INTEGER,
        output_tokens INTEGER,
        cost DOUBLE PRECISION,
        error TEXT,
        fallback INTEGER NOT NULL,
        action TEXT NOT NULL,
        findings TEXT NOT NULL,
        handoff TEXT,
        shadow_text TEXT,
        created_at BIGINT NOT NULL)`,
      "CREATE INDEX agent_turns_version ON agent_turns (agent_id, agent_version, created_at)",
      "CREATE INDEX agent_turns_created ON agent_turns (created_at)",
      "CREATE INDEX agent_turns_conversation ON agent_turns (conversation_id, created_at)",
      // Per conversation and serving version (a shadow candidate has its own row).
      `CREATE TABLE conversation_outcomes (
        conversation_id TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        agent_version TEXT NOT NULL,
        shadow INTEGER NOT NULL,
        rollout_id TEXT,
        arm TEXT,
        share DOUBLE PRECISION,
        channel_type TEXT NOT NULL,
        turns INTEGER NOT NULL,
        violations INTEGER NOT NULL,
        violation_types TEXT NOT NULL,
        first_violation_at BIGINT,
        handoff_reason TEXT,
        handed_off_at BIGINT,
        errors INTEGER NOT NULL,
        fallbacks INTEGER NOT NULL,
        cost DOUBLE PRECISION NOT NULL,
        csat INTEGER,
        sentiment DOUBLE PRECISION,
        repeat_contact INTEGER NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (conversation_id, agent_version))`,
      "CREATE INDEX conversation_outcomes_rollout ON conversation_outcomes (rollout_id, arm)",
      "CREATE INDEX conversation_outcomes_version ON conversation_outcomes (agent_id, agent_version, created_at)",
      // Customer feedback (csat 1-5, thumbs) and outcome events posted by the operator's systems.
      `CREATE TABLE outcome_events (
        id TEXT PRIMARY KEY,
        conversation_id TEXT,
        agent_id TEXT,
        agent_version TEXT,
        type TEXT NOT NULL,
        value DOUBLE PRECISION,
        data TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at BIGINT NOT NULL)`,
      "CREATE INDEX outcome_events_created ON outcome_events (created_at)",
      "CREATE INDEX outcome_events_conversation ON outcome_events (conversation_id)",
      // A killed agent answers nowhere; the row holds where its conversations go instead.
      `CREATE TABLE agent_kills (
        agent_id TEXT PRIMARY KEY,
        fallback TEXT NOT NULL,
        reason TEXT NOT NULL,
        actor TEXT NOT NULL,
        killed_at BIGINT NOT NULL)`,
    ],
  },
  {
    version: 6,
    name: "audit log",
    statements: [
      // Append only and hash-chained (src/audit). `seq` is assigned by the appender, one
      // past the last entry under a lock, so it is known before the hash that covers it.
      `CREATE TABLE audit_log (
        seq BIGINT PRIMARY KEY,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL)`,
      "CREATE INDEX audit_log_action ON audit_log (action, seq)",
      "CREATE INDEX audit_log_actor ON audit_log (actor, seq)",
      "CREATE INDEX audit_log_target ON audit_log (target, seq)",
    ],
  },
  {
    version: 7,
    name: "metric rollups, incidents, alerts",
    statements: [
      // Per closed minute, metric and (agent, version, channel); '' where a dimension does
      // not apply, so the primary key holds on both engines (NULLs never conflict).
      `CREATE TABLE metric_rollups (
        metric TEXT NOT NULL,
        minute BIGINT NOT NULL,
        agent_id TEXT NOT NULL,
        agent_version TEXT NOT NULL,
        channel TEXT NOT NULL,
        count BIGINT NOT NULL,
        sum DOUBLE PRECISION NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (metric, minute, agent_id, agent_version, channel))`,
      "CREATE INDEX metric_rollups_minute ON metric_rollups (minute)",
      // How far the rollups have got: every minute before `position` is rolled up.
      `CREATE TABLE rollup_progress (
        name TEXT PRIMARY KEY,
        position BIGINT NOT NULL,
        updated_at BIGINT NOT NULL)`,
      // Rollups read the events of a range of minutes.
      "CREATE INDEX events_created ON events (created_at)",
      `CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        incident_key TEXT,
        title TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
        status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
        source TEXT NOT NULL,
        data TEXT NOT NULL,
        opened_at BIGINT NOT NULL,
        acknowledged_at BIGINT,
        acknowledged_by TEXT,
        resolved_at BIGINT,
        resolved_by TEXT,
        updated_at BIGINT NOT NULL)`,
      // One unresolved incident per key: opening by key is idempotent.
      `CREATE UNIQUE INDEX incidents_open_key ON incidents (incident_key)
        WHERE status <> 'resolved'`,
      "CREATE INDEX incidents_status ON incidents (status, id)",
      `CREATE TABLE incident_events (
        seq {{serial}},
        incident_id TEXT NOT NULL REFERENCES incidents(id),
        type TEXT NOT NULL,
        actor TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at BIGINT NOT NULL)`,
      "CREATE INDEX incident_events_incident ON incident_events (incident_id, seq)",
      // One row per (rule, labels) ever evaluated as firing; transitions are compare-and-set.
      `CREATE TABLE alert_states (
        rule TEXT NOT NULL,
        labels TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('firing', 'resolved')),
        severity TEXT NOT NULL,
        value DOUBLE PRECISION,
        reference DOUBLE PRECISION,
        sample BIGINT,
        incident_id TEXT,
        since BIGINT NOT NULL,
        resolved_at BIGINT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (rule, labels))`,
      // What each destination still has to be told; one job sends all of it as one message.
      `CREATE TABLE alert_notifications (
        seq {{serial}},
        destination TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        sent_at BIGINT)`,
      "CREATE INDEX alert_notifications_destination ON alert_notifications (destination, sent_at, seq)",
      `CREATE TABLE alert_destinations (
        name TEXT PRIMARY KEY,
        scheduled INTEGER NOT NULL,
        last_sent_at BIGINT)`,
    ],
  },
  {
    version: 8,
    name: "evaluation runs",
    statements: [
      // One row per eval, replay or red-team run of an agent version: the gate a rollout
      // checks reads the latest eval row of a version. `cases` keeps each case's outcome.
      `CREATE TABLE eval_runs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('eval', 'replay', 'redteam')),
        agent_id TEXT NOT NULL,
        agent_version TEXT NOT NULL,
        baseline_version TEXT,
        name TEXT NOT NULL,
        passed INTEGER NOT NULL,
        summary TEXT NOT NULL,
        cases TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        finished_at BIGINT NOT NULL)`,
      "CREATE INDEX eval_runs_version ON eval_runs (agent_id, agent_version, kind, finished_at)",
    ],
  },
  {
    version: 9,
    name: "rate limits, spend counters, seen nonces",
    statements: [
      // Fixed-window counters shared by every instance (limits/): one row per limited key.
      `CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        points INTEGER NOT NULL,
        expire BIGINT)`,
      "CREATE INDEX rate_limits_expire ON rate_limits (expire)",
      // Money and tokens spent per scope (conversation, contact, agent version) and period
      // (a UTC day's start, or 0 for a conversation's whole life), added with each turn.
      `CREATE TABLE spend_counters (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        period BIGINT NOT NULL,
        cost DOUBLE PRECISION NOT NULL,
        tokens BIGINT NOT NULL,
        PRIMARY KEY (scope, key, period))`,
      // Signed-request nonces and timestamps seen within their replay window.
      `CREATE TABLE seen_nonces (
        scope TEXT NOT NULL,
        nonce TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (scope, nonce))`,
      "CREATE INDEX seen_nonces_expires ON seen_nonces (expires_at)",
    ],
  },
  {
    version: 10,
    name: "console sessions, channel holds",
    statements: [
      // Console sign-ins shared by every instance; only hashes of the cookie and the CSRF
      // token are kept, so a copy of the database signs nobody in.
      `CREATE TABLE console_sessions (
        id_hash TEXT PRIMARY KEY,
        csrf_hash TEXT NOT NULL,
        principal_name TEXT NOT NULL,
        principal_role TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT)`,
      "CREATE INDEX console_sessions_expires ON console_sessions (expires_at)",
      // A channel paused after a vendor's 429/503 Retry-After, seen by every instance.
      `CREATE TABLE channel_holds (
        channel_id TEXT PRIMARY KEY,
        paused_until BIGINT NOT NULL,
        reason TEXT,
        updated_at BIGINT NOT NULL)`,
    ],
  },
  {
    version: 11,
    name: "search index, list indexes",
    statements: [
      // The inbox lists by state and by channel newest first, and the handoff queue pages
      // through `human`: without these, the list walks the primary key past other states.
      "CREATE INDEX conversations_state ON conversations (state, id)",
      "CREATE INDEX conversations_channel ON conversations (channel_id, id)",
      // What tests and the bench recompute rollout evidence from.
      "CREATE INDEX agent_turns_rollout ON agent_turns (rollout_id, created_at)",
    ],
    only: SEARCH_INDEX,
    backfill: { sqlite: backfillSearch },
  },
  {
    version: 12,
    name: "incremental rollout evidence",
    statements: [
      // Per rollout conversation (outcome row: conversation and shadow) and signal, when it
      // first went bad; metric '' marks the conversation's first answered turn, at its start.
      // `counted` once the conversation has an answered turn (feedback may come before).
      `CREATE TABLE rollout_marks (
        rollout_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        shadow INTEGER NOT NULL,
        metric TEXT NOT NULL,
        arm TEXT NOT NULL,
        share DOUBLE PRECISION NOT NULL,
        at BIGINT NOT NULL,
        counted INTEGER NOT NULL,
        PRIMARY KEY (rollout_id, conversation_id, shadow, metric))`,
      // The counts a rollout check reads instead of every turn (rollout-evidence.ts).
      `CREATE TABLE rollout_counters (
        rollout_id TEXT NOT NULL,
        counter TEXT NOT NULL,
        arm TEXT NOT NULL,
        share DOUBLE PRECISION NOT NULL,
        n BIGINT NOT NULL,
        total BIGINT NOT NULL,
        PRIMARY KEY (rollout_id, counter, arm, share))`,
      // The backfill (and rebuild) walks a rollout's conversations in id order.
      "CREATE INDEX conversation_outcomes_rollout_conversation ON conversation_outcomes (rollout_id, conversation_id)",
    ],
    backfill: { sqlite: backfillEvidence, postgres: backfillEvidence },
  },
  {
    version: 13,
    name: "turn traces",
    statements: [
      // What an agent turn did, step by step (prompt, knowledge, tools, provider attempts),
      // one row per turn, its steps as JSON already redacted (agents/turn/turn-trace.ts).
      `CREATE TABLE turn_traces (
        turn_id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        reply_id TEXT,
        steps TEXT NOT NULL,
        created_at BIGINT NOT NULL)`,
      "CREATE INDEX turn_traces_conversation ON turn_traces (conversation_id, created_at)",
    ],
  },
  {
    version: 14,
    name: "inbox: assignment, notes, labels, canned responses",
    statements: [
      // The operator (a principal name) answering the conversation; null: nobody yet.
      "ALTER TABLE conversations ADD COLUMN assignee TEXT",
      // How a closed conversation ended: 'resolved' or 'unresolved'; null while open.
      "ALTER TABLE conversations ADD COLUMN resolution TEXT",
      "CREATE INDEX conversations_assignee ON conversations (assignee, id)",
      // Operators' notes on a conversation: never sent to the customer.
      `CREATE TABLE conversation_notes (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at BIGINT NOT NULL)`,
      "CREATE INDEX conversation_notes_conversation ON conversation_notes (conversation_id, id)",
      `CREATE TABLE conversation_labels (
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        label TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (conversation_id, label))`,
      "CREATE INDEX conversation_labels_label ON conversation_labels (label, conversation_id)",
      // Saved replies operators insert; admins manage them.
      `CREATE TABLE canned_responses (
        id TEXT PRIMARY KEY,
        shortcut TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL)`,
    ],
  },
  {
    version: 15,
    name: "consent ledger",
    statements: [
      // Consent per contact and purpose (consent-ledger.ts); consent_changes is no longer
      // written, its rows are copied in below as the service opt-outs they were.
      `CREATE TABLE consent_ledger (
        seq {{serial}},
        contact_id TEXT NOT NULL,
        identity_id TEXT,
        purpose TEXT NOT NULL CHECK (purpose IN ('service', 'marketing')),
        scope TEXT NOT NULL CHECK (scope IN ('address', 'all')),
        channel_id TEXT NOT NULL,
        address TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('opted_out', 'opted_in')),
        evidence TEXT NOT NULL,
        merge_id TEXT,
        undone_at BIGINT,
        created_at BIGINT NOT NULL)`,
      `CREATE INDEX consent_ledger_address
        ON consent_ledger (channel_id, address, scope, purpose, seq)`,
      "CREATE INDEX consent_ledger_contact ON consent_ledger (contact_id, scope, purpose, seq)",
      "CREATE INDEX consent_ledger_merge ON consent_ledger (merge_id)",
      "CREATE INDEX consent_ledger_revocations ON consent_ledger (state, seq)",
    ],
    backfill: { sqlite: backfillConsentLedger, postgres: backfillConsentLedger },
  },
  {
    version: 16,
    name: "managed api keys",
    statements: [
      // API keys made through the API: only the SHA-256 of the token is kept, so a copy of
      // the table authenticates nobody. Scopes are JSON ({"channels":[...],"agents":[...]}).
      `CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL UNIQUE,
        token_prefix TEXT NOT NULL,
        role TEXT NOT NULL,
        scopes TEXT,
        expires_at BIGINT,
        created_at BIGINT NOT NULL,
        created_by TEXT NOT NULL,
        rotated_at BIGINT,
        rotated_by TEXT,
        revoked_at BIGINT,
        revoked_by TEXT,
        last_used_at BIGINT)`,
      // When each admin key last got an api_key.used audit entry per route: the throttle,
      // shared by every instance.
      `CREATE TABLE api_key_uses (
        key_name TEXT NOT NULL,
        route TEXT NOT NULL,
        recorded_at BIGINT NOT NULL,
        PRIMARY KEY (key_name, route))`,
    ],
  },
  {
    version: 17,
    name: "retention and legal holds",
    statements: [
      // A contact or conversation whose data neither retention nor erasure may touch until
      // the hold is lifted (src/governance/). Lifted holds stay, for the record.
      `CREATE TABLE legal_holds (
        id TEXT PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('contact', 'conversation')),
        target_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        released_at BIGINT,
        released_by TEXT)`,
      "CREATE INDEX legal_holds_target ON legal_holds (scope, target_id, released_at)",
      // How far each retention pass has got per (data class, channel scope): rows at or
      // before `position` were purged or were under a hold then (lifting a hold resets it).
      `CREATE TABLE retention_progress (
        name TEXT PRIMARY KEY,
        created_at BIGINT NOT NULL,
        id TEXT NOT NULL)`,
      // The purge walks each table oldest first.
      "CREATE INDEX messages_created ON messages (created_at, id)",
      "CREATE INDEX turn_traces_created ON turn_traces (created_at, turn_id)",
    ],
    // Events stay append-only except for one change: their data may be replaced by a
    // redacted copy marked `purged` (retention of evidence, erasure), nothing else of them.
    only: {
      sqlite: [
        "DROP TRIGGER events_append_only_update",
        `CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
          WHEN NOT (NEW.seq = OLD.seq AND NEW.conversation_id = OLD.conversation_id
            AND NEW.type = OLD.type AND NEW.created_at = OLD.created_at
            AND json_valid(NEW.data) AND json_extract(NEW.data, '$.purged') IS NOT NULL)
          BEGIN SELECT RAISE(ABORT, 'events are append-only'); END`,
      ],
      postgres: [
        `CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'UPDATE' AND NEW.seq = OLD.seq AND NEW.conversation_id = OLD.conversation_id
              AND NEW.type = OLD.type AND NEW.created_at = OLD.created_at
              AND (NEW.data::jsonb -> 'purged') IS NOT NULL THEN
              RETURN NEW;
            END IF;
            RAISE EXCEPTION 'events are append-only';
          END $$`,
      ],
    },
  },
  {
    version: 18,
    name: "erasure tombstones",
    statements: [
      // What is left of an erased person: a hash of the contact id (the contact row stays,
      // nameless, so consent rows keyed by it still hold), when and by whom.
      `CREATE TABLE contact_erasures (
        contact_hash TEXT PRIMARY KEY,
        erased_at BIGINT NOT NULL,
        erased_by TEXT NOT NULL,
        summary TEXT NOT NULL)`,
    ],
  },
  {
    version: 19,
    name: "live quality scores",
    statements: [
      // Per finished conversation and serving version (src/quality/): whether the sampler
      // picked it (`reason`) and, once judged, the rubric's scores. `waiting`: not finished
      // when the sampler reached it; `skipped`: finished and not picked.
      `CREATE TABLE quality_scores (
        conversation_id TEXT NOT NULL,
        agent_version TEXT NOT NULL,
        agent_id TEXT NOT NULL,
        channel_type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('waiting', 'skipped', 'pending', 'judged', 'failed')),
        reason TEXT,
        label TEXT,
        created_at BIGINT NOT NULL,
        decided_at BIGINT,
        attempts INTEGER NOT NULL,
        last_error TEXT,
        overall DOUBLE PRECISION,
        criteria TEXT,
        explanation TEXT,
        judge TEXT,
        bad INTEGER,
        input_tokens BIGINT,
        output_tokens BIGINT,
        judged_at BIGINT,
        PRIMARY KEY (conversation_id, agent_version))`,
      "CREATE INDEX quality_scores_status ON quality_scores (status, created_at, conversation_id)",
      "CREATE INDEX quality_scores_agent ON quality_scores (agent_id, judged_at)",
      "CREATE INDEX quality_scores_judged ON quality_scores (judged_at)",
      // The sampler walks outcome rows oldest first, from where it stopped.
      "CREATE INDEX conversation_outcomes_created ON conversation_outcomes (created_at, conversation_id)",
      `CREATE TABLE quality_progress (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        created_at BIGINT NOT NULL,
        conversation_id TEXT NOT NULL)`,
      // Judge calls and tokens per UTC day, shared by every instance: the daily cap.
      `CREATE TABLE quality_spend (
        day BIGINT PRIMARY KEY,
        calls INTEGER NOT NULL,
        tokens BIGINT NOT NULL)`,
    ],
  },
  {
    version: 20,
    name: "encryption at rest",
    // Encryption at rest (store/encryption/, docs/governance.md#encryption-at-rest). The
    // columns and tables stay empty while it is off.
    statements: [
      // Blind indexes (HMAC of the value) of sealed addresses: lookups and uniqueness.
      "ALTER TABLE identities ADD COLUMN address_bidx TEXT",
      "ALTER TABLE identities ADD COLUMN phone_bidx TEXT",
      "CREATE UNIQUE INDEX identities_address_bidx ON identities (channel_type, address_bidx)",
      "CREATE INDEX identities_phone_bidx ON identities (phone_bidx)",
      "ALTER TABLE consent_ledger ADD COLUMN address_bidx TEXT",
      `CREATE INDEX consent_ledger_address_bidx
        ON consent_ledger (channel_id, address_bidx, scope, purpose, seq)`,
      // Envelope encryption: data keys (they seal values) and the index key (blind
      // indexes, search tokens), each only wrapped by a master key of the environment,
      // named with its fingerprint. `generation` orders a kind's keys; UNIQUE makes two
      // instances creating one at once agree on one. Rotation retires a data key once no
      // row uses it.
      `CREATE TABLE encryption_keys (
        key_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        generation INTEGER NOT NULL,
        master_key_id TEXT NOT NULL,
        master_fingerprint TEXT NOT NULL,
        wrapped_key TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        retired_at BIGINT,
        UNIQUE (kind, generation))`,
      // How far `mainstay keys rotate` has got per sealed column, towards which data key.
      `CREATE TABLE key_rotations (
        name TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        position TEXT NOT NULL,
        done_at BIGINT,
        updated_at BIGINT NOT NULL)`,
    ],
    // A row's search tokens go with its text (erasure, retention, deletes), and an address
    // changed to something not sealed (erasure) takes its blind index with it. A sealed
    // value is always written with its blind index, which a re-encryption leaves as it was
    // (one index key, whichever data key seals).
    only: {
      sqlite: [
        ...FTS_PLAINTEXT_ONLY,
        // Search over sealed text (encryption/search-tokens.ts): a row's keyed trigram
        // hashes as one FTS5 document; `row_id` is indexed too, so a row's entry is found
        // through the index when its text changes or goes.
        `CREATE VIRTUAL TABLE search_tokens USING fts5(tokens, row_id, source UNINDEXED,
          owner_id UNINDEXED, tokenize = 'unicode61')`,
        ...SEARCH_TOKEN_TRIGGERS.flatMap(([table, column, source]) => [
          `CREATE TRIGGER search_tokens_${table}_update AFTER UPDATE OF ${column} ON ${table}
            BEGIN ${dropSearchTokens(source)} END`,
          `CREATE TRIGGER search_tokens_${table}_delete AFTER DELETE ON ${table}
            BEGIN ${dropSearchTokens(source)} END`,
        ]),
        `CREATE TRIGGER identities_address_bidx_follows AFTER UPDATE OF address ON identities
          WHEN new.address_bidx IS old.address_bidx AND new.address_bidx IS NOT NULL
            AND (new.address IS NULL OR substr(new.address, 1, 7) <> 'enc:v1:')
          BEGIN UPDATE identities SET address_bidx = NULL WHERE id = new.id; END`,
        `CREATE TRIGGER identities_phone_bidx_follows AFTER UPDATE OF phone ON identities
          WHEN new.phone_bidx IS old.phone_bidx AND new.phone_bidx IS NOT NULL
            AND (new.phone IS NULL OR substr(new.phone, 1, 7) <> 'enc:v1:')
          BEGIN UPDATE identities SET phone_bidx = NULL WHERE id = new.id; END`,
      ],
      postgres: [
        // Search over sealed text (encryption/search-tokens.ts): a row's keyed trigram
        // hashes in one array, found through a GIN index.
        `CREATE TABLE search_tokens (
          source TEXT NOT NULL,
          row_id TEXT NOT NULL,
          owner_id TEXT NOT NULL,
          tokens TEXT[] NOT NULL,
          PRIMARY KEY (source, row_id))`,
        "CREATE INDEX search_tokens_tokens ON search_tokens USING gin (tokens)",
        `CREATE FUNCTION search_tokens_drop() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            DELETE FROM search_tokens WHERE source = TG_ARGV[0] AND row_id = OLD.id;
            RETURN NULL;
          END $$`,
        `CREATE TRIGGER messages_search_tokens AFTER UPDATE OF text OR DELETE ON messages
          FOR EACH ROW EXECUTE FUNCTION search_tokens_drop('messages')`,
        `CREATE TRIGGER identities_search_tokens AFTER UPDATE OF address OR DELETE ON identities
          FOR EACH ROW EXECUTE FUNCTION search_tokens_drop('identities')`,
        `CREATE FUNCTION identities_bidx_follow() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.address IS DISTINCT FROM OLD.address
              AND NEW.address_bidx IS NOT DISTINCT FROM OLD.address_bidx
              AND (NEW.address IS NULL OR left(NEW.address, 7) <> 'enc:v1:') THEN
              NEW.address_bidx := NULL;
            END IF;
            IF NEW.phone IS DISTINCT FROM OLD.phone
              AND NEW.phone_bidx IS NOT DISTINCT FROM OLD.phone_bidx
              AND (NEW.phone IS NULL OR left(NEW.phone, 7) <> 'enc:v1:') THEN
              NEW.phone_bidx := NULL;
            END IF;
            RETURN NEW;
          END $$`,
        `CREATE TRIGGER identities_bidx_follow BEFORE UPDATE OF address, phone ON identities
          FOR EACH ROW EXECUTE FUNCTION identities_bidx_follow()`,
      ],
    },
  },
  {
    version: 21,
    name: "audit retention",
    statements: [
      // Where the retained audit chain starts once retention purged older entries: the last
      // purged entry's seq and hash, which the first kept entry's prev_hash must name
      // (src/audit/purge-audit.ts). One row at most.
      `CREATE TABLE audit_chain_start (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL,
        purged_at BIGINT NOT NULL)`,
    ],
  },
  {
    version: 22,
    name: "queued intake",
    statements: [
      // Inbound messages the queued intake took in (one commit for a batch of requests),
      // each removed by its `inbound.store` job when it stores the message
      // (src/conversations/queued-intake.ts). `item` is sealed when encrypting.
      `CREATE TABLE inbound_items (
        id TEXT PRIMARY KEY,
        channel_id TEXT NOT NULL,
        item TEXT NOT NULL,
        received_at BIGINT NOT NULL)`,
    ],
  },
  {
    version: 23,
    name: "open conversation by identity",
    statements: [
      // A returning customer's open conversation (conversations.findOpen: identity, channel,
      // newest first): SQLite walked conversations_channel newest first until it met one of
      // the identity's, a read that grew with every other customer's conversations.
      "CREATE INDEX conversations_identity_recent ON conversations (identity_id, channel_id, id)",
    ],
  },
];

/**
 * Rollouts in id order, each a chunk of conversations at a time (rebuildEvidenceChunk);
 * the position is `[rollout id, last conversation done]`, null once that rollout is done.
 */
async function backfillEvidence(tx: Executor, after: string): Promise<string | null> {
  let [rolloutId, conversationId] =
    after === "" ? ["", null] : (JSON.parse(after) as [string, string | null]);
  if (conversationId === null) {
    const next = await tx.get<{ id: string }>(
      "SELECT id FROM rollouts WHERE id > ? ORDER BY id LIMIT 1",
      [rolloutId],
    );
    if (!next) return null;
    [rolloutId, conversationId] = [next.id, ""];
  }
  return JSON.stringify([rolloutId, await rebuildEvidenceChunk(tx, rolloutId, conversationId)]);
}

/**
 * consent_changes rows in seq order, 500 at a time, as `service` entries scoped to their
 * address (what they meant before purposes). The matched text (`span`) is dropped: ledger
 * evidence names the message, never quotes it. The position is the last seq copied.
 */
async function backfillConsentLedger(tx: Executor, after: string): Promise<string | null> {
  const rows = await tx.all<{
    seq: number;
    channel_id: string;
    address: string;
    contact_id: string;
    state: string;
    evidence: string;
    created_at: number;
  }>("SELECT * FROM consent_changes WHERE seq > ? ORDER BY seq LIMIT 500", [Number(after || 0)]);
  for (const row of rows) {
    const { span: _span, ...evidence } = JSON.parse(row.evidence) as Record<string, unknown>;
    const identity = await tx.get<{ id: string }>(
      `SELECT i.id FROM conversations c JOIN identities i ON i.id = c.identity_id
       WHERE c.channel_id = ? AND i.address = ? ORDER BY i.id LIMIT 1`,
      [row.channel_id, row.address],
    );
    await tx.run(
      `INSERT INTO consent_ledger (contact_id, identity_id, purpose, scope, channel_id, address,
         state, evidence, created_at) VALUES (?, ?, 'service', 'address', ?, ?, ?, ?, ?)`,
      [
        row.contact_id,
        identity?.id ?? null,
        row.channel_id,
        row.address,
        row.state,
        JSON.stringify(evidence),
        row.created_at,
      ],
    );
  }
  return rows.length === 0 ? null : String(rows.at(-1)!.seq);
}

export const latestMigration = migrations.at(-1)?.version ?? 0;

/**
 * Apply pending migrations up to `upTo`, each in its own transaction; safe with several
 * instances. (Tests stop short of the latest to store rows the way older versions did.)
 */
export async function migrate(
  db: Database,
  now: number,
  upTo = latestMigration,
): Promise<number[]> {
  // Instances starting together take turns from the first statement: even CREATE TABLE
  // IF NOT EXISTS races on PostgreSQL (a duplicate key in pg_type).
  return db.exclusively(async () => {
    await db.run(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
    );
    await db.run(
      `CREATE TABLE IF NOT EXISTS migration_backfills (
        version INTEGER PRIMARY KEY, position TEXT NOT NULL)`,
    );
    const applied: number[] = [];
    for (const migration of migrations.filter((m) => m.version <= upTo)) {
      const backfill = migration.backfill?.[db.dialect];
      const state = await db.transaction(async (tx) => {
        const row = await tx.get("SELECT version FROM schema_migrations WHERE version = ?", [
          migration.version,
        ]);
        if (row) return "applied";
        const filling = await tx.get("SELECT version FROM migration_backfills WHERE version = ?", [
          migration.version,
        ]);
        if (filling) return "filling";
        await applyMigration(tx, migration);
        if (backfill) {
          await tx.run("INSERT INTO migration_backfills (version, position) VALUES (?, '')", [
            migration.version,
          ]);
          return "filling";
        }
        await markApplied(tx, migration, now);
        return "new";
      });
      if (state === "filling" && backfill) await runBackfill(db, migration, backfill, now);
      if (state !== "applied") applied.push(migration.version);
    }
    return applied;
  });
}

async function runBackfill(db: Database, migration: Migration, backfill: Backfill, now: number) {
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const row = await tx.get<{ position: string }>(
        "SELECT position FROM migration_backfills WHERE version = ?",
        [migration.version],
      );
      const next = await backfill(tx, row?.position ?? "");
      if (next !== null) {
        await tx.run("UPDATE migration_backfills SET position = ? WHERE version = ?", [
          next,
          migration.version,
        ]);
        return false;
      }
      await tx.run("DELETE FROM migration_backfills WHERE version = ?", [migration.version]);
      await markApplied(tx, migration, now);
      return true;
    });
    if (done) return;
  }
}

async function markApplied(tx: Executor, migration: Migration, now: number): Promise<void> {
  await tx.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [
    migration.version,
    migration.name,
    now,
  ]);
}

async function applyMigration(tx: Executor, migration: Migration): Promise<void> {
  const statements = [...migration.statements, ...(migration.only?.[tx.dialect] ?? [])];
  for (const sql of statements) await tx.run(sql.replaceAll("{{serial}}", SERIAL[tx.dialect]));
}

export async function currentMigration(db: Executor): Promise<number> {
  const row = await db.get<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
  return row?.v ?? 0;
}
