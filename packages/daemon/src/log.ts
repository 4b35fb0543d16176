/** Logging to stderr with a level threshold (libvirt's log levels: debug, info, warning, error). */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 1, info: 2, warn: 3, error: 4 };

/** Accepts names and libvirt's numeric levels (1 debug … 4 error). */
export function parseLogLevel(v: string | number): LogLevel {
  const s = String(v).toLowerCase();
  if (s === '1' || s === 'debug') return 'debug';
  if (s === '2' || s === 'info') return 'info';
  if (s === '3' || s === 'warn' || s === 'warning') return 'warn';
  if (s === '4' || s === 'error') return 'error';
  throw new Error(`unknown log level '${v}' (debug, info, warn, error or 1-4)`);
}

export class Logger {
  constructor(
    public level: LogLevel = 'warn',
    private readonly sink: (line: string) => void = (l) => process.stderr.write(l),
  ) {}

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  log(level: LogLevel, msg: string): void {
    if (!this.enabled(level)) return;
    this.sink(`${new Date().toISOString()} virtkitd ${process.pid}: ${level}: ${msg}\n`);
  }

  debug(msg: string): void {
    this.log('debug', msg);
  }
  info(msg: string): void {
    this.log('info', msg);
  }
  warn(msg: string): void {
    this.log('warn', msg);
  }
  error(msg: string): void {
    this.log('error', msg);
  }
}
