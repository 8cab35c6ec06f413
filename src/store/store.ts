import type { Logger } from "pino";
import type { Database, Dialect, Executor } from "./database.ts";
import {
  type EncryptionOptions,
  type FieldCodec,
  openKeyring,
  plaintextFields,
  refreshingDatabase,
  sealedFields,
} from "./encryption/index.ts";
import { currentMigration, latestMigration, migrate } from "./migrations.ts";
import { openPostgresDatabase } from "./postgres/postgres-database.ts";
import { agentKillsRepository } from "./repositories/agent-kills.ts";
import { agentVersionsRepository } from "./repositories/agent-versions.ts";
import { alertStatesRepository } from "./repositories/alert-states.ts";
import { apiKeysRepository } from "./repositories/api-keys.ts";
import { auditLogRepository } from "./repositories/audit-log.ts";
import { cannedResponsesRepository } from "./repositories/canned-responses.ts";
import { channelHoldsRepository } from "./repositories/channel-holds.ts";
import { consentLedgerRepository } from "./repositories/consent-ledger.ts";
import { consoleSessionsRepository } from "./repositories/console-sessions.ts";
import { contactMergesRepository } from "./repositories/contact-merges.ts";
import { contactsRepository } from "./repositories/contacts.ts";
import { conversationLabelsRepository } from "./repositories/conversation-labels.ts";
import { conversationNotesRepository } from "./repositories/conversation-notes.ts";
import { conversationsRepository } from "./repositories/conversations.ts";
import { evalRunsRepository } from "./repositories/eval-runs.ts";
import { type EventBuffer, eventBuffer, eventsRepository } from "./repositories/events.ts";
import { inboundItemsRepository } from "./repositories/inbound-items.ts";
import { incidentsRepository } from "./repositories/incidents.ts";
import { messagesRepository } from "./repositories/messages.ts";
import { metricRollupsRepository } from "./repositories/metric-rollups.ts";
import { type Atomically, outcomesRepository } from "./repositories/outcomes.ts";
import { qualityScoresRepository } from "./repositories/quality-scores.ts";
import { rolloutEvidenceRepository } from "./repositories/rollout-evidence.ts";
import { rolloutsRepository } from "./repositories/rollouts.ts";
import { seenNoncesRepository } from "./repositories/seen-nonces.ts";
import { turnTracesRepository } from "./repositories/turn-traces.ts";
import { openSqliteDatabase } from "./sqlite/sqlite-database.ts";
import { countedDatabase, type StatementCounter } from "./statement-counter.ts";

/** Repositories bound to one executor: the pool, or an open transaction. */
export interface Repositories {
  /** Raw executor, for modules (jobs/) that keep their own SQL on the same transaction. */
  readonly db: Executor;
  readonly contacts: ReturnType<typeof contactsRepository>;
  readonly contactMerges: ReturnType<typeof contactMergesRepository>;
  readonly consent: ReturnType<typeof consentLedgerRepository>;
  readonly conversations: ReturnType<typeof conversationsRepository>;
  readonly messages: ReturnType<typeof messagesRepository>;
  readonly events: ReturnType<typeof eventsRepository>;
  readonly agentVersions: ReturnType<typeof agentVersionsRepository>;
  readonly evalRuns: ReturnType<typeof evalRunsRepository>;
  readonly auditLog: ReturnType<typeof auditLogRepository>;
  readonly rollouts: ReturnType<typeof rolloutsRepository>;
  readonly outcomes: ReturnType<typeof outcomesRepository>;
  readonly rolloutEvidence: ReturnType<typeof rolloutEvidenceRepository>;
  readonly agentKills: ReturnType<typeof agentKillsRepository>;
  readonly metricRollups: ReturnType<typeof metricRollupsRepository>;
  readonly incidents: ReturnType<typeof incidentsRepository>;
  readonly alertStates: ReturnType<typeof alertStatesRepository>;
  readonly seenNonces: ReturnType<typeof seenNoncesRepository>;
  readonly channelHolds: ReturnType<typeof channelHoldsRepository>;
  readonly consoleSessions: ReturnType<typeof consoleSessionsRepository>;
  readonly apiKeys: ReturnType<typeof apiKeysRepository>;
  readonly conversationNotes: ReturnType<typeof conversationNotesRepository>;
  readonly conversationLabels: ReturnType<typeof conversationLabelsRepository>;
  readonly cannedResponses: ReturnType<typeof cannedResponsesRepository>;
  readonly turnTraces: ReturnType<typeof turnTracesRepository>;
  readonly qualityScores: ReturnType<typeof qualityScoresRepository>;
  readonly inboundItems: ReturnType<typeof inboundItemsRepository>;
}

export interface Store extends Repositories {
  readonly dialect: Dialect;
  /** How sealed columns are read and written (encryption at rest, or plaintext). */
  readonly fields: FieldCodec;
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Throws when the database is unreachable or migrations are missing. */
  check(): Promise<{ migration: number }>;
  /** See `Database.listen`: notifications from other instances (PostgreSQL only). */
  listen(channel: string, onNotify: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}

export type StoreOptions = (
  | { kind: "sqlite"; file: string }
  | { kind: "postgres"; url: string; schema?: string }
) & {
  /** Counts every statement and transaction (tests and benches; statement-counter.ts). */
  statements?: StatementCounter;
  /** Encryption at rest of message text and addresses (store/encryption/); off when absent. */
  encryption?: EncryptionOptions;
};

/**
 * `atomically` runs a repository call of several statements in one transaction: a new one
 * for the store itself, the open one for a transaction's repositories.
 */
export function repositoriesOn(
  db: Executor,
  atomically?: Atomically,
  fields: FieldCodec = plaintextFields,
  /** A transaction's buffer of appended events (events.ts), flushed before its commit. */
  events?: EventBuffer,
): Repositories {
  return {
    db,
    contacts: contactsRepository(db, fields),
    contactMerges: contactMergesRepository(db),
    consent: consentLedgerRepository(db, fields),
    conversations: conversationsRepository(db, fields),
    messages: messagesRepository(db, fields),
    events: eventsRepository(db, events),
    agentVersions: agentVersionsRepository(db),
    evalRuns: evalRunsRepository(db),
    auditLog: auditLogRepository(db),
    rollouts: rolloutsRepository(db),
    outcomes: outcomesRepository(db, atomically),
    rolloutEvidence: rolloutEvidenceRepository(db),
    agentKills: agentKillsRepository(db),
    metricRollups: metricRollupsRepository(db),
    incidents: incidentsRepository(db),
    alertStates: alertStatesRepository(db),
    seenNonces: seenNoncesRepository(db),
    channelHolds: channelHoldsRepository(db),
    consoleSessions: consoleSessionsRepository(db),
    apiKeys: apiKeysRepository(db),
    conversationNotes: conversationNotesRepository(db),
    conversationLabels: conversationLabelsRepository(db),
    cannedResponses: cannedResponsesRepository(db),
    turnTraces: turnTracesRepository(db, fields),
    qualityScores: qualityScoresRepository(db),
    inboundItems: inboundItemsRepository(db, fields),
  };
}

/** Open the database, apply pending migrations and return the store. */
export async function openStore(
  options: StoreOptions,
  now = Date.now(),
  /** Where PostgreSQL's lost and recovered connections are told. */
  logger?: Logger,
): Promise<Store> {
  const opened: Database =
    options.kind === "sqlite"
      ? openSqliteDatabase(options.file)
      : openPostgresDatabase({ url: options.url, schema: options.schema, logger });
  const counted = options.statements ? countedDatabase(opened, options.statements) : opened;
  const { encryption } = options;
  let keyring: Awaited<ReturnType<typeof openKeyring>>;
  try {
    await migrate(counted, now);
    // A master key some data keys still need, missing from the environment, stops the start here.
    keyring = await openKeyring(counted, encryption, now);
  } catch (e) {
    await counted.close();
    throw e;
  }
  // Encrypting, reads pick up data keys other instances created since (refreshing-database.ts).
  const db = keyring ? refreshingDatabase(counted, keyring, logger) : counted;
  const fields = keyring && encryption ? sealedFields(keyring, encryption.search) : plaintextFields;
  return {
    ...repositoriesOn(db, (fn) => db.transaction(fn), fields),
    dialect: db.dialect,
    fields,
    transaction: (fn) =>
      db.transaction(async (tx) => {
        const events = eventBuffer(tx);
        const result = await fn(repositoriesOn(events.executor, undefined, fields, events));
        await events.flush();
        return result;
      }),
    async check() {
      const migration = await currentMigration(db);
      if (migration < latestMigration) {
        throw new Error(`migrations applied up to ${migration}, expected ${latestMigration}`);
      }
      return { migration };
    },
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
}
