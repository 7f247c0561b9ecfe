import cliProgress from 'cli-progress';

/** JSON progress lines for a non-terminal stderr: at most one per this many milliseconds (and one per phase). */
const LINE_INTERVAL_MS = 2_000;

export interface SearchProgressUpdate {
  /** `copy`, `replay`, `verify`, `swap`, `catch-up` (reindex) or `compare`, `objects`, `images` (validate). */
  readonly phase: string;
  readonly done: number;
  /** 0 when unknown. */
  readonly total: number;
  /** Extra figures for the JSON line (index name, bytes, failures...). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface SearchProgress {
  update(update: SearchProgressUpdate): void;
  stop(): void;
}

/**
 * Progress of reindex and validate on stderr: a cli-progress bar with the phase, rate and ETA on a terminal;
 * otherwise `{"event":"progress","phase":…,"done":…,"total":…,"rate":…,"eta_s":…}` lines, one when a phase starts
 * and then at most every 2 s.
 */
export function createSearchProgress(
  unit: string,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): SearchProgress {
  const started = now();
  const rate = (done: number) => {
    const seconds = (now() - started) / 1000;
    return seconds > 0 ? Math.round(done / seconds) : 0;
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: ` {phase} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let running = false;
    return {
      update({ phase, done, total }) {
        const payload = { phase: phase.padEnd(8), rate: rate(done) };
        if (!running) {
          bar.start(Math.max(total, done, 1), done, payload);
          running = true;
        }
        bar.setTotal(Math.max(total, done, 1));
        bar.update(done, payload);
      },
      stop: () => {
        if (running) bar.stop();
      },
    };
  }
  let lastLine = Number.NEGATIVE_INFINITY;
  let lastPhase = '';
  return {
    update({ phase, done, total, fields }) {
      const at = now();
      if (phase === lastPhase && at - lastLine < LINE_INTERVAL_MS) return;
      lastLine = at;
      lastPhase = phase;
      const perSecond = rate(done);
      const left = Math.max(total - done, 0);
      stream.write(
        `${JSON.stringify({
          event: 'progress',
          phase,
          done,
          total,
          rate: perSecond,
          eta_s: perSecond > 0 && total > 0 ? Math.round(left / perSecond) : null,
          ...fields,
        })}\n`,
      );
    },
    stop() {},
  };
}
