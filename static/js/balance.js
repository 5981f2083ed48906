// The balance index, mirroring facilitator/balance.py: 1 − Gini of talk time, normalised so that
// 1 = everyone equal and 0 = one person did all the talking; null below two people or no talk.
export function balanceIndex(values) {
  const n = values.length;
  const total = values.reduce((a, b) => a + b, 0);
  if (n < 2 || total <= 0) return null;
  let diff = 0;
  for (const a of values) for (const b of values) diff += Math.abs(a - b);
  const gini = diff / (2 * n * total);
  return 1 - gini / ((n - 1) / n);
}
