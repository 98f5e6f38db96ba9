import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRollout } from '../../src/app/openRollout.ts';
import type { Rollout } from '../../src/app/rollout.ts';
import { documentBody } from '../../src/flagsmith/documentBody.ts';
import { exportEnvironmentDocument } from '../../src/flagsmith/exportEnvironmentDocument.ts';
import { compareWithSdk } from './support/sdkAgreement.ts';
import { sdkFromDocument } from './support/sdkFromDocument.ts';
import { SCENARIO_ENV, SCENARIO_FEATURES, scenarioIdentities, scenarioSteps } from './support/rolloutScenario.ts';

const identities = scenarioIdentities(2000);

describe.each(['v1', 'v2'] as const)('flagsmith-nodejs evaluates our exported %s document exactly as we do', (versioning) => {
  let rollout: Rollout;
  /** The document exported right after each step, and the position it was exported at. */
  const exported: { step: string; position: bigint; json: string }[] = [];

  beforeAll(async () => {
    rollout = await openRollout({ store: 'memory:' });
  });
  afterAll(async () => {
    await rollout?.close();
  });

  for (const step of scenarioSteps(versioning)) {
    it(`after "${step.name}": 2,000 identities x ${SCENARIO_FEATURES.length} features agree`, async () => {
      for (const command of step.commands()) {
        const result = await rollout.bus.send(command);
        expect(result.status, `${String(command.type)}: ${result.error?.message ?? ''}`).toBe('accepted');
      }
      await rollout.projections.catchUp();
      const document = await exportEnvironmentDocument(rollout.readSide, SCENARIO_ENV);
      expect(document).toBeDefined();
      exported.push({ step: step.name, position: (await rollout.store.headPosition())!, json: documentBody(document!).json });

      const { disagreements, served } = await compareWithSdk(sdkFromDocument(document), rollout.readSide, SCENARIO_ENV, SCENARIO_FEATURES, identities);
      expect(disagreements.slice(0, 5)).toEqual([]);
      expect(disagreements).toHaveLength(0);
      // The comparison covered the step's real effect, not one value served to everyone.
      expect([...served].filter((s) => step.serves.includes(s)).sort()).toEqual([...step.serves].sort());
      expect([...served].filter((s) => step.neverServes?.includes(s))).toEqual([]);
    });
  }

  it('exports the same bytes for any past position as it exported at that moment', async () => {
    for (const { step, position, json } of exported) {
      const past = await exportEnvironmentDocument(rollout.readSide, SCENARIO_ENV, { position });
      expect(documentBody(past!).json, step).toBe(json);
    }
  });
});
