import { describe, expect, it } from 'vitest';
import { startSignaling } from '../../src/server/signaling.ts';

describe('local sync helpers', () => {
  it('a signalling port already in use is refused, not a crash', async () => {
    const first = await startSignaling({ port: 0, host: '127.0.0.1' });
    try {
      await expect(startSignaling({ port: first.port, host: '127.0.0.1' })).rejects.toThrow(
        /EADDRINUSE|in use/,
      );
    } finally {
      await first.destroy();
    }
  });
});
