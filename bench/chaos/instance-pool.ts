import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

const CLI = resolve(import.meta.dirname, "../../src/cli/main.ts");
const START_TIMEOUT_MS = 30_000;

interface Instance {
  index: number;
  child?: ChildProcess;
  url?: string;
  /** Set just before this harness kills it, so its exit is not counted as a crash. */
  killing: boolean;
  /** The end of what it printed, to explain a crash. */
  tail: string;
}

/** An exit this harness did not cause: the instance crashed. */
export interface Crash {
  instance: number;
  exit: number | string;
  lastOutput: string;
}

/**
 * N `mainstay start` processes on one config and database, each with its own data folder,
 * started one after the other; any of them can be SIGKILLed and started again.
 */
export class InstancePool {
  private readonly instances: Instance[];
  readonly crashes: Crash[] = [];

  constructor(
    /** `configFile` reads its data folder from `${CHAOS_DATA_DIR}`, one per instance. */
    private readonly options: {
      count: number;
      configFile: string;
      dir: string;
      env: NodeJS.ProcessEnv;
    },
  ) {
    this.instances = Array.from({ length: options.count }, (_, index) => ({
      index,
      killing: false,
      tail: "",
    }));
  }

  async startAll(): Promise<void> {
    for (const instance of this.instances) await this.start(instance);
  }

  /** Base URLs of the instances that are up now. */
  liveUrls(): string[] {
    return this.instances.flatMap((i) => (i.url ? [i.url] : []));
  }

  /** SIGKILL instance `index`, wait `downMs`, start it again; resolves with ms until it serves. */
  async killAndRestart(index: number, downMs: number): Promise<number> {
    const instance = this.instances[index]!;
    const killedAt = Date.now();
    await this.kill(instance, "SIGKILL");
    await new Promise((r) => setTimeout(r, downMs));
    await this.start(instance);
    return Date.now() - killedAt;
  }

  /** SIGTERM every instance (SIGKILL after 5 s) and wait for the exits. */
  async stopAll(): Promise<void> {
    await Promise.all(this.instances.map((i) => this.kill(i, "SIGTERM")));
  }

  private async kill(instance: Instance, signal: NodeJS.Signals): Promise<void> {
    const child = instance.child;
    instance.url = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    instance.killing = true;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill(signal);
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(force);
  }

  private start(instance: Instance): Promise<void> {
    const dataDir = join(this.options.dir, `instance-${instance.index}`);
    mkdirSync(dataDir, { recursive: true });
    const child = spawn(
      process.execPath,
      ["--import", "tsx", CLI, "start", "--config", this.options.configFile],
      {
        env: { ...process.env, ...this.options.env, CHAOS_DATA_DIR: dataDir },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    instance.child = child;
    instance.killing = false;
    instance.tail = "";
    const keep = (d: Buffer) => {
      instance.tail = (instance.tail + d.toString("utf8")).slice(-4000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.once("exit", (code, signal) => {
      if (instance.child !== child) return;
      instance.url = undefined;
      if (!instance.killing) {
        this.crashes.push({
          instance: instance.index,
          exit: code ?? signal ?? -1,
          lastOutput: instance.tail.slice(-600),
        });
      }
    });
    return new Promise((resolveStart, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`instance ${instance.index} did not start:\n${instance.tail}`)),
        START_TIMEOUT_MS,
      );
      const onData = () => {
        const match = /running at (http:\/\/\S+)/.exec(instance.tail);
        if (!match) return;
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        instance.url = match[1]!.replace("localhost", "127.0.0.1");
        resolveStart();
      };
      child.stdout!.on("data", onData);
      child.once("exit", () => {
        clearTimeout(timer);
        reject(new Error(`instance ${instance.index} exited while starting:\n${instance.tail}`));
      });
    });
  }
}
