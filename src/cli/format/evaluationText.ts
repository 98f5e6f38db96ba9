import type { EvaluationView } from '../../queries/readSide.ts';
import { formatValue } from './value.ts';

export const evaluationText = (e: EvaluationView): string =>
  `${e.identity}: variant ${e.variant}${e.optionId ? ` (option ${e.optionId})` : ''}, value ${formatValue(e.value)}, ${e.enabled ? 'enabled' : 'disabled'}` +
  `, from ${e.segmentId ? `segment ${e.segmentId}` : 'the environment default'}\n  reason: ${e.reason}\n`;
