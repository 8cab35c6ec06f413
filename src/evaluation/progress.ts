const BAR_WIDTH = 30;

export interface Progress {
  update(done: number, total: number): void;
  /** Ends the bar's line (a TTY); later output starts on a fresh line. */
  finish(): void;
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal; elsewhere (CI logs, pipes) a
 * plain line at every tenth of the way, so a log is neither silent nor flooded.
 */
export function progressOn(stream: NodeJS.WritableStream, label: string): Progress {
  const tty = (stream as { isTTY?: boolean }).isTTY === true;
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (tty) {
        const filled = Math.round((done / Math.max(1, total)) * BAR_WIDTH);
        const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
        stream.write(`\r${label} [${bar}] ${done}/${total}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((done / Math.max(1, total)) * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${label}: ${done}/${total}\n`);
      }
    },
    finish() {
      if (drawn) stream.write("\n");
    },
  };
}
