import type { CommandBus } from '../../../src/application/commandBus.ts';
import { addToRollout, createExperiment, experimentCommand, registerEnvironment, registerFeature, updateDefault } from '../../support/fixtures.ts';

/** A small seeded PRNG (mulberry32), so a failing history can be replayed. */
export const seededRandom = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type FeatureSlot = { environmentId: string; featureId: string; experiment?: string; experiments: number };

/**
 * Sends random but mostly valid commands (every command type, both versioning modes,
 * first adds, tunings, default edits, starts, pauses, completions) until the store
 * holds at least `targetEvents` events. Some commands are rejected, as in real use.
 */
export const generateRandomHistory = async (
  bus: CommandBus,
  options: { targetEvents: number; seed: number; environments?: number; featuresPerEnvironment?: number; onProgress?: (events: number) => Promise<void> | void },
): Promise<number> => {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const percentage = () => Math.round(random() * 1000) / 10;
  let events = 0;
  const send = async (command: unknown) => {
    const result = await bus.send(command);
    events += result.events.length;
    return result;
  };

  const features: FeatureSlot[] = [];
  const environmentCount = options.environments ?? 4;
  for (let e = 0; e < environmentCount; e++) {
    const environmentId = `env-${e}`;
    await send(registerEnvironment(e % 2 === 0 ? 'v1' : 'v2', environmentId));
  }
  const allocations = (sum: number) => {
    const rows: { optionId: string; percentage: number }[] = [];
    let left = sum;
    for (const optionId of ['A', 'B', 'C']) {
      if (random() < 0.3) continue;
      const p = Math.round(random() * left * 10) / 10;
      rows.push({ optionId, percentage: p });
      left -= p;
    }
    return random() < 0.5 ? rows.reverse() : rows;
  };

  let nextReport = 10_000;
  while (events < options.targetEvents) {
    if (features.length < environmentCount * (options.featuresPerEnvironment ?? 250) && (features.length === 0 || random() < 0.1)) {
      const environmentId = `env-${features.length % environmentCount}`;
      const featureId = `feature-${features.length}`;
      await send(registerFeature(featureId, environmentId));
      features.push({ environmentId, featureId, experiments: 0 });
      continue;
    }
    const f = pick(features);
    if (f.experiment === undefined) {
      const experimentId = `${f.featureId}-x${f.experiments++}`;
      const result = await send(createExperiment(experimentId, f.featureId, f.environmentId));
      if (result.status === 'accepted') f.experiment = experimentId;
      continue;
    }
    const roll = random();
    if (roll < 0.45) {
      await send(addToRollout({ rolloutPercentage: percentage(), allocations: allocations(100), enabled: random() < 0.8 }, f.experiment, f.featureId, f.environmentId));
    } else if (roll < 0.6) {
      await send(updateDefault({ allocations: allocations(60), ...(random() < 0.3 ? { enabled: random() < 0.5 } : {}) }, f.featureId, f.environmentId));
    } else if (roll < 0.8) {
      await send(experimentCommand('StartExperiment', f.experiment, f.featureId, f.environmentId));
    } else if (roll < 0.97) {
      await send(experimentCommand('PauseExperiment', f.experiment, f.featureId, f.environmentId));
    } else {
      const result = await send(experimentCommand('CompleteExperiment', f.experiment, f.featureId, f.environmentId));
      if (result.status === 'accepted') delete f.experiment;
    }
    if (events >= nextReport) {
      nextReport += 10_000;
      await options.onProgress?.(events);
    }
  }
  return events;
};
