/**
 * Brands instead of `instanceof` (facts/construct-style.md): two copies of the library in one app still recognise
 * each other's constructs. Each kind has its own `Symbol.for('tailnet-cdk.<Kind>')`.
 */
export function brand(target: object, symbol: symbol): void {
  Object.defineProperty(target, symbol, { value: true });
}

export function hasBrand(x: unknown, symbol: symbol): boolean {
  return typeof x === 'object' && x !== null && symbol in x;
}
