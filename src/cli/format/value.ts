import type { Allocation, Value } from '../../domain/values.ts';
import type { SlotView } from '../../queries/readSide.ts';

export const formatValue = (value: Value): string => (value.type === 'string' ? JSON.stringify(value.value) : `${value.value} (${value.type})`);

export const formatAllocations = (allocations: Allocation[]): string => {
  const total = allocations.reduce((sum, a) => sum + a.percentage, 0);
  const rows = allocations.map((a) => `${a.optionId} ${a.percentage}%`);
  return [...rows, `control ${Math.round((100 - total) * 1e9) / 1e9}%`].join(', ');
};

export const formatSlot = (slot: SlotView): string =>
  `${slot.enabled ? 'enabled' : 'disabled'}, value ${formatValue(slot.value)}; ${formatAllocations(slot.allocations)}`;
