import { loadConfigFile, storeOptionsFor } from "../config/index.ts";
import { MainstayError } from "../shared/errors.ts";
import { keyStates, keyStatus, openStore, rotateKeys, type Store } from "../store/index.ts";
import { type Command, type CommandIo, commandGroup, parseCommandArgs } from "./command.ts";

const WHERE = `
  -c, --config FILE   the server's configuration; its database is used: DATABASE_URL,
                      else storage.databaseUrl, else storage.dataDir (default: mainstay.yaml)
  -h, --help          show this help

The keys come from MAINSTAY_ENCRYPTION_KEYS, as for the server: run it with the same
environment the servers have.`;

const CONFIG = { config: { type: "string", short: "c" } } as const;

/** The configured database, opened with the keys of this process's environment. */
async function withStore<T>(
  configFile: string | undefined,
  io: CommandIo,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const { config } = loadConfigFile(configFile ?? "mainstay.yaml", io.env);
  const store = await openStore(storeOptionsFor(config, io.env));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const rotate: Command = {
  name: "rotate",
  summary: "wrap the data keys with the active master key, then re-encrypt with a new data key",
  usage: `
Usage: mainstay keys rotate [--rewrap-only] [--chunk N] [--chunks N] [--config FILE]

Values are sealed with data keys, which the database holds only wrapped by a master key
of MAINSTAY_ENCRYPTION_KEYS. First, in one short transaction, every data key is wrapped
again with the active master key (the first entry): from then on older master keys may
leave the environment, and it says which. Then, unless --rewrap-only, it creates a new
data key and seals every encrypted column again with it, and what was stored before
encryption was on, in short transactions of --chunk rows while the servers keep serving
(they pick up the new data key from the database), printing a line per chunk. Progress
is kept in the database: stopped or cut short, it continues where it was, with the same
data key, when run again. Data keys no value uses any more are retired.

      --rewrap-only   only wrap the data keys again: no value is rewritten
      --chunk N       rows per transaction (default 200)
      --chunks N      stop after N chunks (run again to continue)
${WHERE}`,
  async run(argv, io) {
    const options = {
      ...CONFIG,
      "rewrap-only": { type: "boolean" },
      chunk: { type: "string" },
      chunks: { type: "string" },
    } as const;
    const args = parseCommandArgs(this, argv, options, io);
    if (!args) return 0;
    const chunk = positive(args.values.chunk, "--chunk");
    const maxChunks = positive(args.values.chunks, "--chunks");
    return withStore(args.values.config, io, async (store) => {
      const master = store.fields.keyring?.masters[0]?.id;
      const result = await rotateKeys(store, {
        now: () => Date.now(),
        rewrapOnly: args.values["rewrap-only"] === true,
        ...(chunk === undefined ? {} : { chunk }),
        ...(maxChunks === undefined ? {} : { maxChunks }),
        onRewrap: ({ rewrapped, freed }) => {
          io.stdout.write(`re-wrapped ${rewrapped.length} key(s) with master key ${master}\n`);
          for (const id of freed) {
            io.stdout.write(
              `master key ${id} wraps no key now: it may leave MAINSTAY_ENCRYPTION_KEYS\n`,
            );
          }
        },
        onChunk: (c) => {
          if (c.checked === 0 && c.done) return;
          io.stdout.write(
            `${c.field}: ${c.checked} checked, ${c.resealed} re-encrypted${c.done ? ", done" : ""}\n`,
          );
        },
      });
      if (result.dataKey === undefined) return 0;
      if (!result.complete) {
        io.stdout.write(
          `stopped after ${maxChunks} chunks towards data key ${result.dataKey}; run again to continue\n`,
        );
        return 0;
      }
      const retired = result.retired.length > 0 ? `; retired ${result.retired.join(", ")}` : "";
      const to = `${result.resumed ? "continued to" : "new"} data key ${result.dataKey}`;
      io.stdout.write(`done: ${result.resealed} re-encrypted, ${to}${retired}\n`);
      return 0;
    });
  },
};

const iso = (ms: number | null) => (ms === null ? "-" : new Date(ms).toISOString());

const status: Command = {
  name: "status",
  summary: "list the keys and count the sealed values of each column per data key",
  usage: `
Usage: mainstay keys status [--config FILE]

Prints the keys of the database, tab-separated: key id, kind (data or index), the master
key id that wraps it, created, retired ("-" while live), values sealed with it. Then one
line per sealed column and data key id: column, data key id (or "plaintext" for values
stored unencrypted), count. It reads every row of those tables.
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, CONFIG, io);
    if (!args) return 0;
    await withStore(args.values.config, io, async (store) => {
      const counts = await keyStatus(store.db);
      io.stdout.write("key\tkind\tmaster\tcreated\tretired\tvalues\n");
      for (const k of await keyStates(store.db, counts)) {
        const values = k.kind === "data" ? String(k.values) : "-";
        io.stdout.write(
          `${k.keyId}\t${k.kind}\t${k.masterKeyId}\t${iso(k.createdAt)}\t${iso(k.retiredAt)}\t${values}\n`,
        );
      }
      io.stdout.write("\n");
      for (const c of counts) io.stdout.write(`${c.field}\t${c.keyId}\t${c.count}\n`);
    });
    return 0;
  },
};

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new MainstayError("MS_CLI_USAGE", `${flag}: a whole number of at least 1`);
  }
  return n;
}

export const keysCommand = commandGroup("keys", "rotate encryption keys and list their use", [
  rotate,
  status,
]);
