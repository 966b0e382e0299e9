// Progress on stderr for backup and restore. On a terminal: one bar redrawn in place. Elsewhere
// (systemd, CI logs, pipes): each step as a line and a percent line every 10 %, so a log shows
// how far it got without a thousand redraws.

export interface Progress {
  /** A new step; `total` (bytes or entries) enables percent and bar. */
  step(title: string, total?: number): void;
  /** How far the current step is, in the same unit as its total. */
  update(done: number): void;
  /** A line of its own (warnings, results). */
  note(text: string): void;
  done(): void;
}

export const silentProgress: Progress = { step() {}, update() {}, note() {}, done() {} };

export function stderrProgress(prefix: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let title = '';
  let total = 0;
  let lastTenth = -1;
  let lastDraw = 0;
  let barShown = false;
  const endBar = () => {
    if (barShown) stream.write('\n');
    barShown = false;
  };
  return {
    step(next, nextTotal = 0) {
      endBar();
      title = next;
      total = nextTotal;
      lastTenth = -1;
      stream.write(`${prefix}: ${title}\n`);
    },
    update(done) {
      if (!total) return;
      const fraction = Math.min(1, done / total);
      if (tty) {
        const now = Date.now();
        if (now - lastDraw < 100 && fraction < 1) return;
        lastDraw = now;
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
        barShown = true;
      } else {
        const tenth = Math.floor(fraction * 10);
        if (tenth > lastTenth) {
          lastTenth = tenth;
          stream.write(`${prefix}: ${title}: ${tenth * 10}%\n`);
        }
      }
    },
    note(text) {
      endBar();
      stream.write(`${prefix}: ${text}\n`);
    },
    done() {
      endBar();
    },
  };
}
