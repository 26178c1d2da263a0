/**
 * Child process for the crash tests: opens a repository and runs one backup under a shared lock, as
 * `steward repo backup` does. Arguments: repository folder, source folder. Password: $STEWARD_TEST_PW.
 */
import { LocalBackend } from '../../src/backup/backend/local.js';
import { backup } from '../../src/backup/archiver.js';
import { withLock } from '../../src/backup/lock.js';
import { lockTarget } from '../../src/backup/repo-adapters.js';
import { Repository } from '../../src/backup/repository.js';

const [repoDir, src] = process.argv.slice(2);
const repo = await Repository.open(new LocalBackend(repoDir!), process.env.STEWARD_TEST_PW ?? '');
await withLock(lockTarget(repo), false, () => backup(repo, { targets: [src!], packSize: 4 * 1024 * 1024 }));
process.stdout.write('done\n');
