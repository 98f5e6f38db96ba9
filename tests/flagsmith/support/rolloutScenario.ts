import { envelope } from '../../support/fixtures.ts';

const str = (value: string) => ({ type: 'string', value });
const int = (value: number) => ({ type: 'integer', value: String(value) });
const bool = (value: boolean) => ({ type: 'boolean', value: String(value) });

export const SCENARIO_ENV = 'production';
export const SCENARIO_API_KEY = 'B62qaMZNwfiqT76p38ggrQ';

/** A string, an integer and a boolean multivariate feature, and a plain one. */
export const SCENARIO_FEATURES = ['checkout-button', 'max-items', 'dark-mode', 'banner-text'] as const;

const env = SCENARIO_ENV;
const on = (featureId: string, experimentId: string) => ({ environmentId: env, featureId, experimentId });
const rollout = (featureId: string, experimentId: string, spec: { rolloutPercentage: number; enabled: boolean; controlValue: unknown; allocations: { optionId: string; percentage: number }[] }) =>
  envelope('AddFeatureToExperimentRollout', { ...on(featureId, experimentId), ...spec });
const transition = (type: 'StartExperiment' | 'PauseExperiment' | 'CompleteExperiment', featureId: string, experimentId: string) =>
  envelope(type, on(featureId, experimentId));
const editDefault = (featureId: string, change: Record<string, unknown>) => envelope('UpdateEnvironmentDefault', { environmentId: env, featureId, ...change });

export type ScenarioStep = {
  name: string;
  commands: () => Record<string, unknown>[];
  /** "feature: rollout|default value on|off" that 2,000 identities must (not) be served after the step. */
  serves: string[];
  neverServes?: string[];
};

/**
 * The lifecycle the issue names (first add, manual default edit, tuning, start, pause,
 * complete) on every multivariate feature at once, then a second experiment on a
 * feature whose completed rollout still serves, so two overrides compete by priority.
 */
export const scenarioSteps = (versioning: 'v1' | 'v2'): ScenarioStep[] => [
  {
    name: 'registered',
    serves: ['checkout-button: default red on', 'checkout-button: default blue on', 'max-items: default 500 on', 'max-items: default 20 on', 'dark-mode: default true off', 'dark-mode: default false off', 'banner-text: default  on'],
    commands: () => [
      envelope('RegisterEnvironment', { environmentId: env, apiKey: SCENARIO_API_KEY, versioning }),
      envelope('RegisterFeature', {
        environmentId: env,
        featureId: 'checkout-button',
        name: 'Checkout button colour',
        enabled: true,
        value: str('grey'),
        options: [
          { optionId: 'red', key: 'red', value: str('red'), defaultAllocation: 30 },
          { optionId: 'green', key: 'green', value: str('green'), defaultAllocation: 30 },
          { optionId: 'blue', value: str('blue'), defaultAllocation: 40 },
        ],
      }),
      envelope('RegisterFeature', {
        environmentId: env,
        featureId: 'max-items',
        name: 'Items per page',
        enabled: true,
        value: int(20),
        options: [
          { optionId: 'few', value: int(5), defaultAllocation: 25 },
          { optionId: 'many', value: int(50), defaultAllocation: 25 },
          { optionId: 'all', value: int(500), defaultAllocation: 10 },
        ],
      }),
      envelope('RegisterFeature', {
        environmentId: env,
        featureId: 'dark-mode',
        name: 'Dark mode',
        enabled: false,
        value: bool(false),
        options: [{ optionId: 'dark', key: 'dark', value: bool(true), defaultAllocation: 50 }],
      }),
      envelope('RegisterFeature', { environmentId: env, featureId: 'banner-text', name: 'Banner', enabled: true, value: null, options: [] }),
      envelope('CreateExperiment', { ...on('checkout-button', 'exp-colour'), name: 'Colour' }),
      envelope('CreateExperiment', { ...on('max-items', 'exp-items'), name: 'Page size' }),
      envelope('CreateExperiment', { ...on('dark-mode', 'exp-dark'), name: 'Dark' }),
    ],
  },
  {
    name: 'first add',
    // The default is zeroed: out of the rollout, everyone gets control.
    serves: ['checkout-button: default grey on', 'checkout-button: rollout green on', 'checkout-button: rollout grey on', 'max-items: rollout 50 off', 'dark-mode: rollout true on'],
    neverServes: ['checkout-button: default red on', 'checkout-button: default blue on', 'max-items: default 5 on', 'dark-mode: default true off'],
    commands: () => [
      rollout('checkout-button', 'exp-colour', { rolloutPercentage: 42, enabled: true, controlValue: str('grey'), allocations: [{ optionId: 'green', percentage: 40 }, { optionId: 'red', percentage: 30 }] }),
      // Disabled until the experiment starts.
      rollout('max-items', 'exp-items', { rolloutPercentage: 33.3, enabled: false, controlValue: int(20), allocations: [{ optionId: 'many', percentage: 50 }] }),
      rollout('dark-mode', 'exp-dark', { rolloutPercentage: 60, enabled: true, controlValue: bool(false), allocations: [{ optionId: 'dark', percentage: 50 }] }),
    ],
  },
  {
    name: 'manual default edit',
    serves: ['checkout-button: default red on', 'checkout-button: default silver on', 'max-items: default 10 on', 'max-items: default 500 on', 'dark-mode: default false on', 'banner-text: default Welcome on'],
    commands: () => [
      editDefault('checkout-button', { value: str('silver'), allocations: [{ optionId: 'red', percentage: 25 }] }),
      editDefault('max-items', { value: int(10), allocations: [{ optionId: 'all', percentage: 15 }, { optionId: 'few', percentage: 20 }] }),
      editDefault('dark-mode', { enabled: true }),
      editDefault('banner-text', { value: str('Welcome') }),
    ],
  },
  {
    name: 'tuning',
    serves: ['checkout-button: rollout blue on', 'checkout-button: default red on', 'max-items: rollout -1 off', 'max-items: rollout 500 off', 'dark-mode: rollout true on'],
    // A rollout at 100% holds everyone.
    neverServes: ['dark-mode: default false on', 'dark-mode: default true on'],
    commands: () => [
      rollout('checkout-button', 'exp-colour', { rolloutPercentage: 80, enabled: true, controlValue: str('grey'), allocations: [{ optionId: 'red', percentage: 35 }, { optionId: 'blue', percentage: 20 }] }),
      rollout('max-items', 'exp-items', { rolloutPercentage: 55, enabled: false, controlValue: int(-1), allocations: [{ optionId: 'few', percentage: 25 }, { optionId: 'all', percentage: 12.5 }] }),
      rollout('dark-mode', 'exp-dark', { rolloutPercentage: 100, enabled: true, controlValue: bool(false), allocations: [{ optionId: 'dark', percentage: 70 }] }),
    ],
  },
  {
    name: 'start',
    serves: ['max-items: rollout 5 on', 'max-items: rollout -1 on', 'checkout-button: rollout red on'],
    neverServes: ['max-items: rollout 5 off'],
    commands: () => [transition('StartExperiment', 'checkout-button', 'exp-colour'), transition('StartExperiment', 'max-items', 'exp-items'), transition('StartExperiment', 'dark-mode', 'exp-dark')],
  },
  {
    name: 'pause',
    // A paused rollout keeps serving.
    serves: ['max-items: rollout 5 on', 'checkout-button: rollout red on', 'dark-mode: rollout true on'],
    commands: () => [transition('PauseExperiment', 'checkout-button', 'exp-colour'), transition('PauseExperiment', 'max-items', 'exp-items'), transition('PauseExperiment', 'dark-mode', 'exp-dark')],
  },
  {
    name: 'complete',
    serves: ['max-items: rollout 5 on', 'checkout-button: rollout red on', 'dark-mode: rollout true on'],
    commands: () => [
      transition('CompleteExperiment', 'checkout-button', 'exp-colour'),
      transition('CompleteExperiment', 'max-items', 'exp-items'),
      transition('CompleteExperiment', 'dark-mode', 'exp-dark'),
    ],
  },
  {
    name: 'second experiment',
    // The new rollout comes after the completed one: only its 90% outside the first 80% reach it.
    serves: ['checkout-button: rollout gold on', 'checkout-button: rollout red on'],
    commands: () => [
      envelope('CreateExperiment', { ...on('checkout-button', 'exp-colour-2'), name: 'Colour, again' }),
      rollout('checkout-button', 'exp-colour-2', { rolloutPercentage: 90, enabled: true, controlValue: str('gold'), allocations: [{ optionId: 'blue', percentage: 50 }] }),
    ],
  },
];

/** 2,000 identifiers, a few with the characters real ones have (commas, unicode, e-mail). */
export const scenarioIdentities = (count = 2000): string[] => {
  const odd = ['alice@example.com', 'with,comma', 'ünïcödé-用户', 'spaces in id', '0', 'Z'.repeat(200)];
  return [...odd, ...Array.from({ length: count - odd.length }, (_, i) => `user-${i}`)];
};
