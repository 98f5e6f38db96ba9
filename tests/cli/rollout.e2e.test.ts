import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runBinary } from './support/runBinary.ts';

const EXAMPLE = 'examples/checkout-cta-experiment.ndjson';
const feature = ['--environment', 'production', '--feature', 'checkout-cta'];

let dir: string;
let store: string;
let submitted: any[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollout-cli-'));
  store = `sqlite:${join(dir, 'rollout.db')}`;
  const run = await runBinary(['submit', EXAMPLE], { store });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  submitted = jsonLines(run.stdout);
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rollout (the real binary against a SQLite file)', () => {
  it('submit prints one result a line, and the scenario is all accepted', () => {
    expect(submitted.map((r) => r.status)).toEqual(Array(9).fill('accepted'));
    expect(submitted[3]).toMatchObject({ streamId: 'featureState-production/checkout-cta', events: [{ type: 'RolloutSegmentCreated' }, { type: 'DefaultAllocationsZeroed' }] });
    expect(Number(submitted[8].position)).toBeGreaterThan(Number(submitted[0].position));
  });

  it('state --json shows the default as edited by hand after the first add, the tuned override, and the completed experiment', async () => {
    const run = await runBinary(['state', ...feature, '--json'], { store });
    expect(run.code).toBe(0);
    const state = JSON.parse(run.stdout);
    expect(state).toMatchObject({ environmentId: 'production', featureId: 'checkout-cta', versioning: 'v2', version: 4 });
    // v2 publishes a version per configuration change: register, first add, the manual edit, the tuning.
    expect(state.environmentDefault.allocations).toEqual([
      { optionId: 'opt-complete', percentage: 25 },
      { optionId: 'opt-pay', percentage: 0 },
      { optionId: 'opt-continue', percentage: 0 },
    ]);
    expect(state.segmentOverrides).toHaveLength(1);
    expect(state.segmentOverrides[0]).toMatchObject({
      segmentName: 'experiment-cta-copy-test-rollout',
      rolloutPercentage: 50,
      enabled: true,
      experimentId: 'cta-copy-test',
      allocations: [
        { optionId: 'opt-complete', percentage: 40 },
        { optionId: 'opt-pay', percentage: 40 },
      ],
    });
    expect(state.experiments).toMatchObject([{ experimentId: 'cta-copy-test', name: 'Checkout CTA copy', status: 'completed' }]);
  });

  it('state --position shows an earlier moment; the plain text names the override', async () => {
    const afterFirstAdd = await runBinary(['state', ...feature, '--position', submitted[3].position, '--json'], { store });
    expect(afterFirstAdd.code).toBe(0);
    const earlier = JSON.parse(afterFirstAdd.stdout);
    expect(earlier.segmentOverrides[0].rolloutPercentage).toBe(20);
    expect(earlier.environmentDefault.allocations.map((a: { percentage: number }) => a.percentage)).toEqual([0, 0, 0]);

    const text = await runBinary(['state', ...feature], { store });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('experiment-cta-copy-test-rollout');
    expect(text.stdout).toContain('50% of identities');
  });

  it('evaluate --json gives the documented shape, consistent with the state', async () => {
    const run = await runBinary(['evaluate', ...feature, '--identity', 'user-42', '--json'], { store });
    expect(run.code).toBe(0);
    const evaluation = JSON.parse(run.stdout);
    expect(Object.keys(evaluation).sort()).toEqual(['enabled', 'identity', 'identityKey', 'optionId', 'reason', 'segmentId', 'value', 'variant'].sort());
    expect(evaluation).toMatchObject({ identity: 'user-42', identityKey: 'prod-8fKq2xN4_user-42', enabled: true });
    const byOption: Record<string, string> = { 'opt-complete': 'Complete order', 'opt-pay': 'Pay securely', 'opt-continue': 'Continue' };
    expect(evaluation.value.value).toBe(evaluation.optionId === null ? 'Buy now' : byOption[evaluation.optionId]);
  });

  it('history lists every event of the feature, and of the experiment', async () => {
    const byFeature = await runBinary(['history', ...feature, '--json'], { store });
    expect(byFeature.code).toBe(0);
    const entries = JSON.parse(byFeature.stdout);
    expect(entries.map((e: { type: string }) => e.type)).toEqual([
      'FeatureRegistered',
      'ExperimentCreated',
      'RolloutSegmentCreated',
      'DefaultAllocationsZeroed',
      'EnvironmentDefaultUpdated',
      'RolloutTuned',
      'ExperimentStarted',
      'ExperimentPaused',
      'ExperimentCompleted',
    ]);
    expect(Object.keys(entries[0]).sort()).toEqual(
      ['position', 'streamId', 'revision', 'type', 'occurredAt', 'actor', 'commandId', 'correlationId', 'causationId', 'data', 'summary'].sort(),
    );
    expect(entries[0]).toMatchObject({ actor: { type: 'user', id: 'ana@example.com' }, commandId: submitted[1].commandId });

    const byExperiment = await runBinary(['history', '--experiment', 'cta-copy-test'], { store });
    expect(byExperiment.code).toBe(0);
    // The id reservation, then the 7 experiment events of the feature stream (EnvironmentDefaultUpdated is not one of them).
    expect(byExperiment.stdout.trim().split('\n')).toHaveLength(8);
    expect(byExperiment.stdout).toContain('ExperimentIdReserved');
    expect(byExperiment.stdout).toContain('ExperimentCompleted');
  });

  it('rebuild replays the log into the same read model', async () => {
    const before = await runBinary(['state', ...feature, '--json'], { store });
    const rebuilt = await runBinary(['rebuild'], { store });
    expect(rebuilt.stderr).toBe('');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^rebuilt /);
    const after = await runBinary(['state', ...feature, '--json'], { store });
    expect(JSON.parse(after.stdout)).toEqual(JSON.parse(before.stdout));
  });

  describe('exit codes', () => {
    it('0 for --help, with every subcommand listed', async () => {
      const run = await runBinary(['--help']);
      expect(run.code).toBe(0);
      for (const name of ['submit', 'state', 'evaluate', 'history', 'rebuild', 'serve']) expect(run.stdout).toContain(name);
    });

    it.each([
      ['an unknown subcommand', ['deploy'], /unknown command "deploy"/],
      ['a missing required flag', ['state', '--environment', 'production'], /--feature is required/],
      ['an unknown flag', ['history', '--experiment', 'x', '--colour'], /Unknown option '--colour'/],
      ['a bad store setting', ['state', ...feature, '--store', 'mysql://db'], /invalid store setting/],
      ['an unknown projection', ['rebuild', '--projection', 'nope'], /no projection "nope"/],
    ])('2 for %s', async (_what, args, message) => {
      const run = await runBinary(args, { store });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    });

    it('2 for invalid input: malformed JSON sends nothing; a command failing validation is reported', async () => {
      const malformed = await runBinary(['submit', '-'], { store, stdin: '{"type": "RegisterEnvironment",' });
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toMatch(/malformed JSON/);
      const invalid = await runBinary(['submit'], { store, stdin: JSON.stringify({ type: 'RegisterEnvironment', commandId: 'not-a-uuid' }) });
      expect(invalid.code).toBe(2);
      expect(jsonLines(invalid.stdout)[0]).toMatchObject({ status: 'rejected', error: { code: 'validation_failed' } });
    });

    it('3 for a command rejected by a domain rule (rollout on a completed experiment)', async () => {
      const command = {
        type: 'AddFeatureToExperimentRollout',
        commandId: '7d2f8a8e-2a3e-4d55-9b43-3f0f6f8a1c01',
        actor: { type: 'user', id: 'ana@example.com' },
        data: { environmentId: 'production', featureId: 'checkout-cta', experimentId: 'cta-copy-test', enabled: true, rolloutPercentage: 60, controlValue: null, allocations: [] },
      };
      const run = await runBinary(['submit'], { store, stdin: JSON.stringify(command) });
      expect(run.code).toBe(3);
      expect(jsonLines(run.stdout)[0]).toMatchObject({ status: 'rejected', error: { code: 'rule_violated' } });
      expect(run.stderr).toMatch(/completed experiment cta-copy-test/);
    });

    it('4 for a concurrency conflict (a stale expectedRevision)', async () => {
      const command = {
        type: 'UpdateEnvironmentDefault',
        commandId: '7d2f8a8e-2a3e-4d55-9b43-3f0f6f8a1c02',
        actor: { type: 'user', id: 'ana@example.com' },
        expectedRevision: 2,
        data: { environmentId: 'production', featureId: 'checkout-cta', enabled: false },
      };
      const run = await runBinary(['submit'], { store, stdin: JSON.stringify(command) });
      expect(run.code).toBe(4);
      expect(jsonLines(run.stdout)[0]).toMatchObject({ status: 'rejected', error: { code: 'conflict' }, revision: 8 });
    });

    it('1 for anything else, e.g. a feature that does not exist', async () => {
      const run = await runBinary(['evaluate', '--environment', 'production', '--feature', 'nope', '--identity', 'u'], { store });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no feature nope in environment production');
    });
  });
});
