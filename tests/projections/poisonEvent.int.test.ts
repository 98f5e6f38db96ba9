import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRollout } from '../../src/app/openRollout.ts';
import type { Rollout } from '../../src/app/rollout.ts';
import type { EventMetadata, NewEvent } from '../../src/eventStore/eventStore.ts';
import { NO_STREAM } from '../../src/eventStore/eventStore.ts';
import { ENV, FEATURE, createExperiment, registerEnvironment, registerFeature } from '../support/fixtures.ts';

const metadata = (commandId: string): EventMetadata => ({
  occurredAt: '2025-01-01T00:00:00.000Z',
  actor: { type: 'user', id: 'u-1' },
  commandId,
  correlationId: commandId,
  causationId: commandId,
  $correlationId: commandId,
  $causationId: commandId,
});
const raw = (eventId: string, type: string, data: unknown, commandId = eventId): NewEvent => ({ eventId, type, schemaVersion: 1, data, metadata: metadata(commandId) });

let dir: string;
let rollout: Rollout | undefined;
afterEach(async () => {
  await rollout?.close();
  rmSync(dir, { recursive: true, force: true });
});

const open = async () => (rollout = await openRollout({ store: `sqlite:${join(dir, 'rollout.db')}` }));

describe('an event the projection cannot apply', () => {
  it.each([
    ['an unknown type', raw('6b7c1b36-0c89-4b4e-8d55-000000000001', 'FlagDeleted', { environmentId: ENV }), /FlagDeleted/, /unknown event type/],
    ['invalid data', raw('6b7c1b36-0c89-4b4e-8d55-000000000002', 'ExperimentPaused', { environmentId: ENV }), /ExperimentPaused/, /data is invalid/],
  ])('stops the projection at it (%s), names its position and type, and keeps the checkpoint before it', async (_, poison, typePattern, reasonPattern) => {
    dir = mkdtempSync(join(tmpdir(), 'poison-'));
    const r = await open();
    await r.bus.send(registerEnvironment('v2'));
    await r.bus.send(registerFeature());
    const before = (await r.store.headPosition())!;
    const { position } = await r.store.append('junk-1', [poison], NO_STREAM);
    expect(position).toBe(before + 1n);
    await r.bus.send(createExperiment()); // after the poison: must not be applied

    const failure = await r.projections.catchUp().then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toContain(`position ${position}`);
    expect(failure?.message).toMatch(typePattern);
    expect(failure?.message).toMatch(reasonPattern);
    const [status] = await r.projections.status();
    // Behind: the poison, then CreateExperiment's id reservation and ExperimentCreated.
    expect(status).toMatchObject({ name: 'featureState', checkpoint: before.toString(), lag: 3 });
    expect(status!.error).toContain(`position ${position}`);
    expect((await r.readSide.featureState(ENV, FEATURE))?.experiments).toEqual([]);
    expect(await r.projections.waitForPosition(position + 1n, 200)).toBe(false);

    // The stop is stored: another process sees the same checkpoint and error.
    await r.close();
    const again = await open();
    const [reopened] = await again.projections.status();
    expect(reopened).toMatchObject({ checkpoint: before.toString() });
    await expect(again.projections.catchUp()).rejects.toThrow(`position ${position}`);
  });

  it('never applies the part of a command that comes before the poisoned event', async () => {
    dir = mkdtempSync(join(tmpdir(), 'poison-'));
    const r = await open();
    await r.bus.send(registerEnvironment('v1'));
    await r.bus.send(registerFeature());
    const before = (await r.store.headPosition())!;
    const commandId = '0e9a3a53-7d1c-4a55-9d0e-5a1f1c2b3d4e';
    const good = raw('0e9a3a53-7d1c-4a55-9d0e-000000000011', 'ExperimentCreated', { environmentId: ENV, featureId: FEATURE, experimentId: 'x', name: 'x' }, commandId);
    const bad = raw('0e9a3a53-7d1c-4a55-9d0e-000000000012', 'ExperimentStarted', { environmentId: ENV }, commandId);
    await r.store.append(`featureState-${ENV}/${FEATURE}`, [good, bad], 0n);
    await expect(r.projections.catchUp()).rejects.toThrow(`position ${before + 2n}`);
    const [status] = await r.projections.status();
    expect(status!.checkpoint).toBe(before.toString());
    expect((await r.readSide.featureState(ENV, FEATURE))?.experiments).toEqual([]);
  });
});
