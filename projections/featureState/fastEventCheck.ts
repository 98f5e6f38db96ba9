import { eventSchemaVersions, isEventType, type DomainEvent, type EventType } from '../../src/domain/events.ts';

/*
 * A precompiled check of the event schemas in src/domain/events.ts, for the rebuild's
 * hot path: zod's parse costs more than folding the event. It only ever says "valid,
 * exactly this shape" (then the parsed JSON is used as is: zod would return an equal
 * copy) or "ask zod" (zod then strips, or rejects with its message). It may be
 * stricter than zod, never looser; tests/projections/fastEventCheck.unit.test.ts
 * holds it to that.
 */
type Obj = Record<string, unknown>;
const ID = /^[A-Za-z0-9._:-]+$/;
const SAFE_INTEGER = /^-?(0|[1-9][0-9]*)$/;
const KEY_HASH = /^[0-9a-f]{64}$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const keyCount = (o: Obj) => {
  let n = 0;
  for (const _ in o) n++;
  return n;
};
const id = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 128 && ID.test(v);
const str = (v: unknown) => typeof v === 'string';
const bool = (v: unknown) => typeof v === 'boolean';
const pct = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 100;
const value = (v: unknown) => {
  if (!isObj(v) || keyCount(v) !== 2 || typeof v.value !== 'string') return false;
  if (v.type === 'string') return true;
  if (v.type === 'integer') return SAFE_INTEGER.test(v.value) && Number.isSafeInteger(Number(v.value));
  return v.type === 'boolean' && (v.value === 'true' || v.value === 'false');
};
const allocations = (v: unknown) => {
  if (!Array.isArray(v)) return false;
  for (const a of v) if (!isObj(a) || keyCount(a) !== 2 || !id(a.optionId) || !pct(a.percentage)) return false;
  return true;
};
const slot = (o: Obj) => bool(o.enabled) && value(o.value) && allocations(o.allocations);
const feature = (d: Obj) => id(d.environmentId) && id(d.featureId);
const experiment = (d: Obj) => feature(d) && id(d.experimentId);
const options = (v: unknown) => {
  if (!Array.isArray(v)) return false;
  for (const o of v) {
    if (!isObj(o) || !id(o.optionId) || !value(o.value)) return false;
    if (o.key === undefined ? keyCount(o) !== 2 : !str(o.key) || keyCount(o) !== 3) return false;
  }
  return true;
};

const checks: Record<EventType, (d: Obj) => boolean> = {
  EnvironmentRegistered: (d) => keyCount(d) === 3 && id(d.environmentId) && str(d.apiKey) && (d.versioning === 'v1' || d.versioning === 'v2'),
  ServerKeyIssued: (d) => keyCount(d) === 4 && id(d.environmentId) && id(d.keyId) && str(d.name) && typeof d.keyHash === 'string' && KEY_HASH.test(d.keyHash),
  ServerKeyRevoked: (d) => keyCount(d) === 2 && id(d.environmentId) && id(d.keyId),
  FeatureRegistered: (d) =>
    keyCount(d) === 8 && feature(d) && str(d.name) && bool(d.enabled) && value(d.value) && options(d.options) && allocations(d.defaultAllocations) && str(d.hashingSeed),
  EnvironmentDefaultUpdated: (d) => keyCount(d) === 6 && feature(d) && slot(d) && isObj(d.previous) && keyCount(d.previous) === 3 && slot(d.previous),
  ExperimentCreated: (d) => (d.hypothesis === undefined ? keyCount(d) === 4 : str(d.hypothesis) && keyCount(d) === 5) && experiment(d) && str(d.name),
  RolloutSegmentCreated: (d) => {
    const { segment: s, override: o } = d;
    return (
      keyCount(d) === 5 &&
      experiment(d) &&
      isObj(s) &&
      keyCount(s) === 3 &&
      str(s.segmentId) &&
      str(s.name) &&
      pct(s.rolloutPercentage) &&
      isObj(o) &&
      keyCount(o) === 5 &&
      Number.isSafeInteger(o.priority) &&
      (o.priority as number) >= 0 &&
      str(o.hashingSeed) &&
      slot(o)
    );
  },
  DefaultAllocationsZeroed: (d) => keyCount(d) === 5 && experiment(d) && allocations(d.allocations) && allocations(d.replaced),
  RolloutTuned: (d) => {
    const p = d.previous;
    return keyCount(d) === 9 && experiment(d) && str(d.segmentId) && pct(d.rolloutPercentage) && slot(d) && isObj(p) && keyCount(p) === 4 && slot(p) && pct(p.rolloutPercentage);
  },
  ExperimentStarted: (d) => keyCount(d) === 4 && experiment(d) && bool(d.overrideEnabled),
  ExperimentIdReserved: (d) => keyCount(d) === 3 && experiment(d),
  ExperimentPaused: (d) => keyCount(d) === 3 && experiment(d),
  ExperimentCompleted: (d) => keyCount(d) === 3 && experiment(d),
};

/** The event as is when its data is valid and exactly the schema's shape; undefined means "ask zod". */
export const fastDecode = (type: string, schemaVersion: number, data: unknown): DomainEvent | undefined => {
  if (!isEventType(type) || schemaVersion !== eventSchemaVersions[type] || !isObj(data)) return undefined;
  return checks[type](data) ? ({ type, data } as DomainEvent) : undefined;
};
