import type { FeatureEvent } from '../../src/domain/events.ts';
import type { Experiment, FeatureOption, RegisteredFeature, RolloutOverride, Slot } from '../../src/domain/featureState/featureState.ts';
import type { Allocation, Value } from '../../src/domain/values.ts';

/*
 * The projection's private fold: the domain's `evolve` (src/domain/featureState/evolve.ts)
 * rewritten to change the projection's own working copy of a feature in place.
 *
 * `evolve` is pure and copies the whole state for every event; in a rebuild that made
 * a million short-lived copies which lived just long enough (a feature is touched again
 * only after thousands of other events) to be promoted to V8's old generation, so most
 * of the rebuild's GC time and memory was dead feature states. Here every object of the
 * state is owned by the projection (copied out of the event, never shared with it, so
 * frozen or reused events are never touched) and updated field by field; the parsed
 * event dies young.
 *
 * It must give exactly what `evolve` gives: tests/projections/foldInPlace.property.test.ts
 * folds random command histories (made by the real bus) both ways and compares the
 * states and the documents built from them, event by event.
 */

const copyValue = (v: Value): Value => ({ type: v.type, value: v.value });
const copyAllocations = (rows: readonly Allocation[]): Allocation[] => {
  const out = new Array<Allocation>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = { optionId: rows[i]!.optionId, percentage: rows[i]!.percentage };
  return out;
};
const copyOptions = (rows: readonly FeatureOption[]): FeatureOption[] =>
  rows.map((o) => (o.key === undefined ? { optionId: o.optionId, value: copyValue(o.value) } : { optionId: o.optionId, key: o.key, value: copyValue(o.value) }));

const setValue = (target: Value, source: Value) => {
  if (target.type !== source.type) target.type = source.type;
  if (target.value !== source.value) target.value = source.value;
};

/** Overwrites an owned allocation list with another's entries, reusing its objects when the lengths match. */
const setAllocations = (target: Allocation[], source: readonly Allocation[]) => {
  if (target.length !== source.length) {
    target.length = 0;
    for (const a of source) target.push({ optionId: a.optionId, percentage: a.percentage });
    return;
  }
  for (let i = 0; i < source.length; i++) {
    const t = target[i]!;
    const s = source[i]!;
    if (t.optionId !== s.optionId) t.optionId = s.optionId;
    t.percentage = s.percentage;
  }
};

const setSlot = (target: Slot, enabled: boolean, value: Value, allocations: readonly Allocation[]) => {
  target.enabled = enabled;
  setValue(target.value, value);
  setAllocations(target.allocations, allocations);
};

const notRegistered = (type: string) => new Error(`${type} applied to a feature that is not registered`);

/** A new owned state for a FeatureRegistered event (what `evolve` returns for it, deep-copied). */
const registeredState = (event: Extract<FeatureEvent, { type: 'FeatureRegistered' }>): RegisteredFeature => {
  const { environmentId, featureId, name, enabled, value, options, defaultAllocations, hashingSeed } = event.data;
  return {
    registered: true,
    environmentId,
    featureId,
    name,
    options: copyOptions(options),
    environmentDefault: { enabled, value: copyValue(value), hashingSeed, allocations: copyAllocations(defaultAllocations) },
    segmentOverrides: [],
    experiments: [],
  };
};

/**
 * Folds one event into `state` (owned by the caller's projection, changed in place) and
 * returns the state: `state` itself, or a new one for FeatureRegistered. Throws (having
 * changed nothing) where `evolve` throws: an event other than FeatureRegistered on a
 * feature that is not registered.
 */
export const foldInPlace = (state: RegisteredFeature | undefined, event: FeatureEvent): RegisteredFeature => {
  if (event.type === 'FeatureRegistered') return registeredState(event);
  if (!state) throw notRegistered(event.type);
  switch (event.type) {
    case 'EnvironmentDefaultUpdated': {
      const { enabled, value, allocations } = event.data;
      setSlot(state.environmentDefault, enabled, value, allocations);
      return state;
    }
    case 'ExperimentCreated': {
      const { experimentId, name, hypothesis } = event.data;
      const experiment: Experiment = hypothesis === undefined ? { experimentId, name, status: 'created' } : { experimentId, name, hypothesis, status: 'created' };
      state.experiments.push(experiment);
      return state;
    }
    case 'RolloutSegmentCreated': {
      const { experimentId, segment, override } = event.data;
      for (const e of state.experiments) if (e.experimentId === experimentId) e.segmentId = segment.segmentId;
      const created: RolloutOverride = {
        enabled: override.enabled,
        value: copyValue(override.value),
        hashingSeed: override.hashingSeed,
        allocations: copyAllocations(override.allocations),
        priority: override.priority,
        experimentId,
        segmentId: segment.segmentId,
        segmentName: segment.name,
        rolloutPercentage: segment.rolloutPercentage,
      };
      state.segmentOverrides.push(created);
      return state;
    }
    case 'DefaultAllocationsZeroed':
      setAllocations(state.environmentDefault.allocations, event.data.allocations);
      return state;
    case 'RolloutTuned': {
      const { segmentId, rolloutPercentage, enabled, value, allocations } = event.data;
      for (const o of state.segmentOverrides) {
        if (o.segmentId !== segmentId) continue;
        o.rolloutPercentage = rolloutPercentage;
        setSlot(o, enabled, value, allocations);
      }
      return state;
    }
    case 'ExperimentStarted': {
      const { experimentId, overrideEnabled } = event.data;
      let segmentId: string | undefined;
      let found = false;
      for (const e of state.experiments) {
        if (e.experimentId !== experimentId) continue;
        e.status = 'running';
        if (!found) [found, segmentId] = [true, e.segmentId];
      }
      if (overrideEnabled && segmentId) for (const o of state.segmentOverrides) if (o.segmentId === segmentId) o.enabled = true;
      return state;
    }
    case 'ExperimentPaused':
    case 'ExperimentCompleted': {
      const status = event.type === 'ExperimentPaused' ? 'paused' : 'completed';
      for (const e of state.experiments) if (e.experimentId === event.data.experimentId) e.status = status;
      return state;
    }
  }
};
