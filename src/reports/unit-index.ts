/**
 * The units a report may be about: those of the release being served, by code, read from its
 * units.json (src/releases/release-units.ts) once per release rather than asked of the store for
 * every form sent. A new release live means a new build directory, so the directory is the key.
 */
import { type ReleaseUnit, readReleaseUnits } from '../releases/release-units.js';

export class UnitIndex {
  private dir: string | undefined;
  private units: Promise<Map<string, ReleaseUnit>> | undefined;

  constructor(private readonly buildDir: () => string) {}

  get(): Promise<Map<string, ReleaseUnit>> {
    const dir = this.buildDir();
    if (dir !== this.dir || !this.units) {
      this.dir = dir;
      const loading = readReleaseUnits(dir).then((list) => new Map(list.map((u) => [u.code, u])));
      // A failure is not kept: the next form sent tries again.
      loading.catch(() => {
        if (this.units === loading) this.units = undefined;
      });
      this.units = loading;
    }
    return this.units;
  }
}
