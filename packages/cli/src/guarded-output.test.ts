import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GuardedOutput } from './guarded-output.js';

/** A stream whose writes fail like stdout on a full disk. */
function failing(code: string): { stream: NodeJS.WriteStream; writes: string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString());
      callback(Object.assign(new Error(`${code}: it failed, write`), { code }));
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

describe('GuardedOutput', () => {
  for (const code of ['EPIPE', 'EFBIG', 'ENOSPC', 'EIO']) {
    it(`turns into a sink at the first ${code}, and says so once`, async () => {
      const { stream, writes } = failing(code);
      const output = new GuardedOutput(stream, 'stdout');
      const heard: string[] = [];
      output.onLost((error) => heard.push(error.message));
      output.write('one\n');
      await new Promise((resolve) => setImmediate(resolve));
      expect(output.write('two\n')).toBe(false);
      expect(writes).toEqual(['one\n']);
      expect(heard).toEqual([`${code}: it failed, write`]);
      // A listener that comes late hears it at once.
      output.onLost((error) => heard.push(error.message));
      expect(heard).toHaveLength(2);
    });
  }

  it('catches a write that throws', () => {
    const stream = {
      on: () => undefined,
      write: () => {
        throw new Error('EBADF');
      },
      destroyed: false,
    } as unknown as NodeJS.WriteStream;
    const output = new GuardedOutput(stream, 'stderr');
    expect(output.write('x')).toBe(false);
    expect(output.lost?.message).toBe('EBADF');
  });
});
