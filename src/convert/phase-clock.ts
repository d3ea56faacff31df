/**
 * Where a conversion's time and memory go, step by step (issue #12, "The converter at scale"): the
 * converter marks the end of each step, and the caller's `onPhase` gets the CPU and wall time since
 * the previous mark and the resident memory at this one. `npm run bench` prints them per input.
 */

/** CPU (user + system) and wall milliseconds of one step, and the process's RSS in MB at its end. */
export type OnPhase = (name: string, cpuMs: number, wallMs: number, rssMb: number) => void;

/** A function to call at the end of each step with its name; does nothing without `onPhase`. */
export function phaseClock(onPhase: OnPhase | undefined): (name: string) => void {
  if (!onPhase) return () => {};
  let cpu = process.cpuUsage();
  let wall = performance.now();
  return (name) => {
    const nowCpu = process.cpuUsage();
    const nowWall = performance.now();
    const spent = process.cpuUsage(cpu);
    onPhase(name, (spent.user + spent.system) / 1000, nowWall - wall, process.memoryUsage().rss / (1024 * 1024));
    cpu = nowCpu;
    wall = nowWall;
  };
}
