import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A stable short hash, like the pod-template-hash. */
export function templateHash(value: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(value)).digest();
  return [...digest.subarray(0, 10)]
    .map(b => ALPHABET[b % ALPHABET.length])
    .join('');
}

/** A random 5-character suffix, like generateName. */
export function randomSuffix(): string {
  return [...randomBytes(5)].map(b => ALPHABET[b % ALPHABET.length]).join('');
}

let nextPodIp = 10;

/** The next pod IP in 10.244.0.0/16. */
export function allocatePodIp(): string {
  const n = nextPodIp++;
  return `10.244.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}
