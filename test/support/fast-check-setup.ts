import fc from 'fast-check';

// CI replays one fixed seed per run (set FC_SEED to change it) so a red build is reproducible;
// local runs explore new inputs every time. FC_RUNS raises the run count to hunt rare failures.
const seed = process.env.FC_SEED ?? (process.env.CI ? '20261127' : undefined);
const numRuns = process.env.FC_RUNS;
fc.configureGlobal({
  ...(seed === undefined ? {} : { seed: Number(seed) }),
  ...(numRuns === undefined ? {} : { numRuns: Number(numRuns) }),
});
