/**
 * Ctrl-C and SIGTERM while a repository lock is held: as restic, print "signal … received, cleaning up",
 * remove this process's locks, and exit (130 after SIGINT, 1 after SIGTERM). Without this the process
 * would die with its lock left in the repository (the next `check` would say "already locked").
 * Temp files of writes cut short are removed by the next backup, prune or unlock.
 */
import { releaseHeldLocks } from '../backup/lock.js';

const NAMES: Partial<Record<NodeJS.Signals, string>> = { SIGINT: 'interrupt', SIGTERM: 'terminated' };

/** Installs the handlers; returns a function that removes them. A second signal exits at once. */
export function cleanupOnSignal(): () => void {
  let cleaning = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    const code = sig === 'SIGINT' ? 130 : 1;
    if (cleaning) process.exit(code);
    cleaning = true;
    process.stderr.write(`\nsignal ${NAMES[sig] ?? sig} received, cleaning up\n`);
    void releaseHeldLocks().finally(() => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
