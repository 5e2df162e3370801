/**
 * A child process for crash points: `node crash-child.js <dataDir> <scenario> <operation> <step>`
 * opens the local store, runs the scenario's setup, then its write, and kills itself with SIGKILL
 * when the store reaches `<step>` of `<operation>`. It prints `acknowledged` once the write has
 * resolved and `finished` if it was never killed (the step was not reached).
 */
import { type LocalOperation, LocalStore, type WriteStep } from '../../../src/store/local/local-store.js';
import { SCENARIOS } from './crash-scenarios.js';

const [dataDir, scenarioName, operation, step] = process.argv.slice(2) as [
  string,
  string,
  LocalOperation,
  WriteStep,
];
const scenario = SCENARIOS[scenarioName];
if (!dataDir || !scenario || !operation || !step)
  throw new Error('usage: crash-child.js <dataDir> <scenario> <operation> <step>');
let armed = false;
const store = await LocalStore.open(dataDir, {
  onStep(reached, op) {
    if (armed && reached === step && op === operation) process.kill(process.pid, 'SIGKILL');
  },
});
await store.recover();
await scenario.setup(store);
armed = true;
await scenario.act(store);
process.stdout.write('acknowledged\n');
await store.settled();
process.stdout.write('finished\n');
await store.close();
