/**
 * The benchmark workload: the real AddFeatureToExperimentRollout traffic.
 * Setup (not timed): one environment, then per feature RegisterFeature (options A, B, C
 * at 30/30/40 on the default, the fixture of domain.md section 6) and CreateExperiment.
 * Timed: the first add for every feature, then tunings round-robin over the features.
 */
import { addToRollout, createExperiment, registerEnvironment, registerFeature } from '../../tests/support/fixtures.ts';

export const BENCH_ENV = 'bench';

export type Envelope = ReturnType<typeof registerEnvironment>;

export const featureIdOf = (i: number) => `f-${String(i).padStart(5, '0')}`;
export const experimentIdOf = (i: number) => `exp-${featureIdOf(i)}`;

export const setupEnvironment = (): Envelope => registerEnvironment('v1', BENCH_ENV);

export const setupFeature = (i: number): Envelope[] => [
  registerFeature(featureIdOf(i), BENCH_ENV),
  createExperiment(experimentIdOf(i), featureIdOf(i), BENCH_ENV),
];

export const firstAdd = (i: number): Envelope =>
  addToRollout(
    { rolloutPercentage: 20, allocations: [{ optionId: 'A', percentage: 50 }, { optionId: 'B', percentage: 50 }] },
    experimentIdOf(i),
    featureIdOf(i),
    BENCH_ENV,
  );

/** The k-th tuning (k >= 1) of feature i: always a change from tuning k - 1, so it emits RolloutTuned. */
export const tuning = (i: number, k: number): Envelope =>
  addToRollout(
    {
      rolloutPercentage: 21 + (k % 79),
      allocations: [
        { optionId: 'A', percentage: 40 + (k % 20) },
        { optionId: 'B', percentage: 60 - (k % 20) },
      ],
    },
    experimentIdOf(i),
    featureIdOf(i),
    BENCH_ENV,
  );

/** First adds for features 0..features-1, then `tunings` rounds of one tuning per feature. */
export const timedCommands = (features: number, tunings: number): Envelope[] => {
  const commands: Envelope[] = [];
  for (let i = 0; i < features; i++) commands.push(firstAdd(i));
  for (let k = 1; k <= tunings; k++) for (let i = 0; i < features; i++) commands.push(tuning(i, k));
  return commands;
};

export type WorkloadShape = { seededFeatures: number; features: number; tunings: number };

export const describeWorkload = (w: WorkloadShape) =>
  `${w.seededFeatures} features set up (untimed); timed: ${w.features} first adds, then ${w.tunings} tuning${w.tunings === 1 ? '' : 's'} each for those features = ${w.features * (1 + w.tunings)} commands`;
