import { expect } from 'vitest';
import type { Decision } from '../../src/domain/rejection.ts';

/**
 * Given/when/then for a pure decider, after Emmett's DeciderSpecification:
 * given past events, when a command is decided, then exactly these events, or this rejection.
 */
export const deciderSpecification = <C, E, S>(decider: { decide: (command: C, state: S) => Decision<E>; evolve: (state: S, event: E) => S; initialState: () => S }) => ({
  given: (events: E[]) => ({
    when: (command: C) => {
      const decision = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: E[]) => {
          const result = decision();
          if (!result.ok) throw new Error(`expected events, got rejection ${result.rejection.code}: ${result.rejection.message}`);
          expect(result.events).toEqual(expected);
          return result.events;
        },
        thenNothingHappens: () => {
          const result = decision();
          if (!result.ok) throw new Error(`expected no events, got rejection ${result.rejection.code}: ${result.rejection.message}`);
          expect(result.events).toEqual([]);
        },
        thenRejects: (code: 'rule_violated' | 'not_found', message?: RegExp) => {
          const result = decision();
          if (result.ok) throw new Error(`expected rejection ${code}, got events ${JSON.stringify(result.events)}`);
          expect(result.rejection.code).toBe(code);
          if (message) expect(result.rejection.message).toMatch(message);
        },
      };
    },
  }),
});
