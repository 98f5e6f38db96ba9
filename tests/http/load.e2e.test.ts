import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../src/eventStore/openEventStore.ts';
import { LOAD, LOAD_ENV, featureIdOf, loadPhases, sendConcurrently, type LoadResponse } from './support/loadScenario.ts';
import { startServerProcess, type ServerProcess } from './support/serverProcess.ts';

let dir: string;
let store: string;
let server: ServerProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rollout-load-'));
  store = `sqlite:${join(dir, 'rollout.db')}`;
});
afterEach(async () => {
  await server?.stop('SIGKILL');
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const json = async (url: string) => (await fetch(url)).json() as Promise<any>;

const readStore = async () => {
  const events = await openEventStore(store);
  try {
    const all = [];
    for (let batch = await events.readAll(); batch.length > 0; batch = await events.readAll({ after: batch.at(-1)!.position })) all.push(...batch);
    return all;
  } finally {
    await events.close();
  }
};

describe('load (loopback only, bounded)', () => {
  it('5,000 commands from 50 concurrent clients across 100 features: all answered, all stored, projections caught up', async () => {
    server = await startServerProcess(store);
    const started = Date.now();
    const responses: LoadResponse[] = [];
    for (const phase of loadPhases()) responses.push(...(await sendConcurrently(server.url, phase, LOAD.clients)));
    const seconds = (Date.now() - started) / 1000;

    expect(responses).toHaveLength(LOAD.total);
    const outcomes = new Map<string, number>();
    for (const r of responses) outcomes.set(`${r.status} ${r.body?.status ?? ''}`, (outcomes.get(`${r.status} ${r.body?.status ?? ''}`) ?? 0) + 1);
    expect(Object.fromEntries(outcomes)).toEqual({ '200 accepted': LOAD.total });

    const appended = responses.reduce((sum, r) => sum + r.body.events.length, 0);
    const lastPosition = responses.reduce((max, r) => (BigInt(r.body.position) > max ? BigInt(r.body.position) : max), 0n);
    expect(lastPosition).toBe(BigInt(appended));

    const caughtUp = await fetch(`${server.url}/environments/${LOAD_ENV}/features/${featureIdOf(0)}/state?minPosition=${lastPosition}`);
    expect(caughtUp.status).toBe(200);
    const health = await json(`${server.url}/health`);
    expect(health).toMatchObject({ status: 'ok', store: { head: lastPosition.toString() }, lag: 0 });
    expect(health.projections.every((p: { checkpoint: string }) => p.checkpoint === lastPosition.toString())).toBe(true);

    const stored = await readStore();
    expect(stored).toHaveLength(appended);
    console.info(`load: ${LOAD.total} commands, ${appended} events in ${seconds.toFixed(1)} s (${Math.round(LOAD.total / seconds)} commands/s)`);
  }, 90_000);

  it('SIGTERM during the load: exit within 5 s, every 200 is stored, and a restart serves the same state', async () => {
    server = await startServerProcess(store);
    const [environment, features, experiments, adds] = loadPhases();
    const responses: LoadResponse[] = [];
    for (const phase of [environment!, features!, experiments!]) responses.push(...(await sendConcurrently(server.url, phase, LOAD.clients)));

    let stopped: Promise<{ code: number | null; ms: number }> | undefined;
    let answered = 0;
    const running = server;
    responses.push(
      ...(await sendConcurrently(running.url, adds!, LOAD.clients, () => {
        if (++answered === 1000) stopped = running.stop('SIGTERM');
      })),
    );
    const exit = await stopped!;
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(5000);

    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status !== 200);
    expect(ok.length).toBeGreaterThanOrEqual(1000 + 201);
    expect(refused.length).toBeGreaterThan(0); // the signal really came mid-load
    expect(new Set(refused.map((r) => r.status)).size).toBeLessThanOrEqual(2); // 503 while closing, or connection refused
    for (const r of refused) expect([503, 'network-error']).toContain(r.status);
    for (const r of refused.filter((r) => r.status === 503)) expect(r.body).toMatchObject({ code: 'unavailable', status: 503 });

    console.info(`SIGTERM after 1000 answers: exit ${exit.code} in ${exit.ms} ms; ${ok.length} answered 200, ${refused.filter((r) => r.status === 503).length} 503, ${refused.filter((r) => r.status !== 503).length} refused connections`);

    const stored = await readStore();
    const storedCommands = new Set(stored.map((e) => e.metadata.commandId));
    const missing = ok.filter((r) => r.body.events.length > 0 && !storedCommands.has(r.body.commandId));
    expect(missing).toEqual([]);
    // Nothing was half-done either: the store holds exactly the events of the acknowledged commands.
    expect(stored).toHaveLength(ok.reduce((sum, r) => sum + r.body.events.length, 0));

    server = await startServerProcess(store);
    const head = stored.at(-1)!.position;
    for (let i = 0; i < LOAD.features; i++) {
      const featureId = featureIdOf(i);
      const lastAck = ok.filter((r) => r.command.featureId === featureId && r.command.rolloutPercentage !== undefined).sort((a, b) => b.body.revision - a.body.revision)[0];
      const state = await json(`${server.url}/environments/${LOAD_ENV}/features/${featureId}/state?minPosition=${head}`);
      expect(state.segmentOverrides.map((o: { rolloutPercentage: number }) => o.rolloutPercentage), featureId).toEqual(lastAck ? [lastAck.command.rolloutPercentage] : []);
    }
  }, 90_000);
});
