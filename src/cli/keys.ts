import { loadConfigFile, storeOptionsFor } from "../config/index.ts";
import { MainstayError } from "../shared/errors.ts";
import { keyStatus, openStore, rotateKeys, type Store, type StoreOptions } from "../store/index.ts";
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
  fn: (store: Store, options: StoreOptions) => Promise<T>,
): Promise<T> {
  const { config } = loadConfigFile(configFile ?? "mainstay.yaml", io.env);
  const options = storeOptionsFor(config, io.env);
  const store = await openStore(options);
  try {
    return await fn(store, options);
  } finally {
    await store.close();
  }
}

const rotate: Command = {
  name: "rotate",
  summary: "re-encrypt every sealed value with the active key, in the background",
  usage: `
Usage: mainstay keys rotate [--chunk N] [--chunks N] [--config FILE]

Seals every encrypted column again with the active key (the first entry of
MAINSTAY_ENCRYPTION_KEYS), and seals what was stored before encryption was on. It works
in short transactions of --chunk rows while the servers keep serving (they read old
values with the older keys, which stay in their MAINSTAY_ENCRYPTION_KEYS until this is
done) and prints a line per chunk. Progress is kept in the database: stopped or cut
short, it continues where it was when run again. Once no row uses an older key, that key
is retired and may leave the environment. Run it after every instance has the new key
first in MAINSTAY_ENCRYPTION_KEYS.

      --chunk N       rows per transaction (default 200)
      --chunks N      stop after N chunks (run again to continue)
${WHERE}`,
  async run(argv, io) {
    const options = { ...CONFIG, chunk: { type: "string" }, chunks: { type: "string" } } as const;
    const args = parseCommandArgs(this, argv, options, io);
    if (!args) return 0;
    const chunk = positive(args.values.chunk, "--chunk");
    const maxChunks = positive(args.values.chunks, "--chunks");
    return withStore(args.values.config, io, async (store, storeOptions) => {
      const encryption = storeOptions.encryption;
      if (!encryption) {
        throw new MainstayError(
          "MS_ENCRYPTION_OFF",
          "MAINSTAY_ENCRYPTION_KEYS is not set: there is no key to rotate to",
        );
      }
      io.stdout.write(`rotating to key ${encryption.keys[0]!.id}\n`);
      const result = await rotateKeys(store, encryption, {
        now: () => Date.now(),
        ...(chunk === undefined ? {} : { chunk }),
        ...(maxChunks === undefined ? {} : { maxChunks }),
        onChunk: (c) => {
          if (c.checked === 0 && c.done) return;
          io.stdout.write(
            `${c.field}: ${c.checked} checked, ${c.resealed} re-encrypted${c.done ? ", done" : ""}\n`,
          );
        },
      });
      if (!result.complete) {
        io.stdout.write(`stopped after ${maxChunks} chunks; run again to continue\n`);
        return 0;
      }
      const retired = result.retired.length > 0 ? `; retired ${result.retired.join(", ")}` : "";
      io.stdout.write(`done: ${result.resealed} re-encrypted${retired}\n`);
      return 0;
    });
  },
};

const status: Command = {
  name: "status",
  summary: "count the sealed values of each column per key id",
  usage: `
Usage: mainstay keys status [--config FILE]

Prints one line per sealed column and key id, tab-separated: column, key id (or
"plaintext" for values stored unencrypted), count. It reads every row of those tables.
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, CONFIG, io);
    if (!args) return 0;
    await withStore(args.values.config, io, async (store) => {
      for (const c of await keyStatus(store.db)) {
        io.stdout.write(`${c.field}\t${c.keyId}\t${c.count}\n`);
      }
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

export const keysCommand = commandGroup("keys", "rotate encryption keys and count their use", [
  rotate,
  status,
]);
