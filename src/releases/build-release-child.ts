/**
 * The child process that builds one release (see build-release.ts): receives the job, answers with
 * the outcome, exits. Started by buildReleaseInChild with fork().
 *
 * It exits as soon as the server that started it is gone (the IPC channel closes when the parent
 * dies, kill -9 included): nobody would take its answer, and it must not go on writing and renaming
 * a release directory behind the restarted server, which has recorded that release as interrupted
 * and builds it again under the next number.
 */
import { type ReleaseJob, outcomeOf } from './build-release.js';

process.once('disconnect', () => process.exit(1));

process.once('message', (job: ReleaseJob) => {
  void outcomeOf(job).then((result) => {
    process.send?.(result, () => process.exit(0));
  });
});
