/**
 * The child process that builds one release (see build-release.ts): receives the job, answers with
 * the outcome, exits. Started by buildReleaseInChild with fork().
 */
import { type ReleaseJob, outcomeOf } from './build-release.js';

process.once('message', (job: ReleaseJob) => {
  void outcomeOf(job).then((result) => {
    process.send?.(result, () => process.exit(0));
  });
});
