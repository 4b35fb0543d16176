/** The shape of one soak probe: it runs, bounded in time and size, and returns named figures. */

export interface ProbeOptions {
  /** The CI slice: smaller counts and shorter times, the whole run under 5 minutes on 2 cores. */
  ci: boolean;
  /** Seed of the pseudo-random inputs, printed so a run can be repeated. */
  seed: number;
  /** Progress and skip notes (stderr). */
  log: (line: string) => void;
}

/** Figures by name, `<daemon>.<what>` (e.g. `virtkitd.rssGrowthMiB`), numbers or short notes. */
export type Figures = Record<string, number | string>;

export interface Probe {
  name: string;
  /** One line: what it does. */
  what: string;
  run(o: ProbeOptions): Promise<Figures>;
}
