/**
 * A number as Python's repr(float) writes it, which is how Flagsmith stores a
 * PERCENTAGE_SPLIT value: always a decimal point ("42.0"), exponent outside
 * [1e-4, 1e16). Both languages print the shortest digits that round-trip, so
 * parseFloat gives back exactly the number we hold.
 */
export const pythonFloat = (n: number): string => {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mantissa = '', exponentText = '0'] = n.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = String(n);
  return fixed.includes('.') ? fixed : `${fixed}.0`;
};
