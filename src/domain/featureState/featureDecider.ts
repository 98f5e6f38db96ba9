export { decide, type FeatureCommand, type FeatureDecideContext } from './decide.ts';
export { evolve } from './evolve.ts';
export { initialFeatureState, type FeatureState } from './featureState.ts';
