import { describe, expect, it } from 'vitest';
import { availableBackends, backendStatus, getKernel, withBackend } from './registry.js';

// Runs in every project of `npm test` (vitest.config.ts): checks that the project's
// TNKIT_BACKEND really is the backend the rest of its tests run on.
describe('backend registry', () => {
  it('the active backend is TNKIT_BACKEND when set, else the fastest that loaded', () => {
    const env = process.env['TNKIT_BACKEND'];
    expect(getKernel().name).toBe(env ? env : availableBackends()[0]);
  });

  it('lists ts always, names the load error of a missing backend, and withBackend restores the previous one', () => {
    const status = backendStatus();
    expect(status.ts.available).toBe(true);
    for (const s of Object.values(status)) expect(s.detail.length).toBeGreaterThan(0);
    const before = getKernel().name;
    expect(withBackend('ts', () => getKernel().name)).toBe('ts');
    expect(getKernel().name).toBe(before);
  });
});
