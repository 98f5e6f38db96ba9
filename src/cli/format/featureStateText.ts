import type { FeatureStateView } from '../../queries/readSide.ts';
import { formatSlot, formatValue } from './value.ts';

export const featureStateText = (state: FeatureStateView): string => {
  const lines = [
    `feature ${state.featureId} (${state.name}) in environment ${state.environmentId}`,
    `  versioning ${state.versioning}, version ${state.version}, as of position ${state.position}` +
      (state.publishedAt ? `, published ${state.publishedAt}` : ''),
    `  options: ${state.options.map((o) => `${o.optionId}${o.key ? ` [${o.key}]` : ''} = ${formatValue(o.value)}`).join('; ') || 'none'}`,
    `  environment default: ${formatSlot(state.environmentDefault)}`,
  ];
  if (state.segmentOverrides.length === 0) lines.push('  segment overrides: none');
  for (const o of state.segmentOverrides) {
    lines.push(`  segment override ${o.segmentName} (priority ${o.priority}, ${o.rolloutPercentage}% of identities, experiment ${o.experimentId}): ${formatSlot(o)}`);
  }
  if (state.experiments.length === 0) lines.push('  experiments: none');
  for (const e of state.experiments) lines.push(`  experiment ${e.experimentId} (${e.name}): ${e.status}`);
  return `${lines.join('\n')}\n`;
};
