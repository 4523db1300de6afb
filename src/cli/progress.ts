/**
 * A progress bar on stderr: redrawn in place on a terminal, else (a log, a pipe) one line per
 * 10% so the output stays readable.
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let lastTenth = -1;
  let lastDraw = 0;
  return {
    update(done: number, total: number): void {
      const share = total === 0 ? 1 : Math.min(1, done / total);
      if (stream.isTTY) {
        const now = Date.now();
        if (share < 1 && now - lastDraw < 50) return; // at most 20 redraws a second
        lastDraw = now;
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`,
        );
        return;
      }
      const tenth = Math.floor(share * 10);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${label}: ${tenth * 10}% (${done}/${total})\n`);
      }
    },
    /** Ends the bar's line on a terminal. */
    done(): void {
      if (stream.isTTY && lastDraw > 0) stream.write('\n');
    },
  };
}
