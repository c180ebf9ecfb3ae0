import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputShipper } from './output-shipper.js';

let dir: string;
let file: string;
let sent: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdp-shipper-'));
  file = join(dir, 'ws.log');
  sent = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function shipper(maxBytes = 1000, tailBytes = 10): OutputShipper {
  return new OutputShipper({
    file,
    send: (text) => {
      sent.push(text);
      return Promise.resolve();
    },
    maxBytes,
    tailBytes,
  });
}

describe('shipping a command’s output as it comes', () => {
  it('sends what was written since the last ship, once each, in order; nothing before the file exists', async () => {
    const shipping = shipper();
    await shipping.ship();
    await writeFile(file, 'one\n');
    await shipping.ship();
    await shipping.ship();
    await appendFile(file, 'two\n');
    await shipping.finish();
    expect(sent).toEqual(['one\n', 'two\n']);
  });

  it('sends a character cut between two reads whole', async () => {
    const shipping = shipper();
    const euro = Buffer.from('€', 'utf8');
    await writeFile(file, Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]));
    await shipping.ship();
    await appendFile(file, euro.subarray(1));
    await shipping.finish();
    expect(sent.join('')).toBe('a€');
    expect(sent.every((text) => !text.includes('\uFFFD'))).toBe(true);
  });

  it('past the limit sends nothing more as it comes, then says what was left out and sends the end', async () => {
    const shipping = shipper(10, 6);
    await writeFile(file, '0123456789abc');
    await shipping.ship();
    await appendFile(file, 'defghijklmnop\nEND\n');
    await shipping.ship();
    expect(sent).toEqual(['0123456789']);
    await shipping.finish();
    expect(sent[1]).toBe('\n[sdp-dispatch worker: 15 bytes of output left out (more than 10 bytes); the last 6 follow]\np\nEND\n');
  });

  it('a failed send loses that piece only: later output still goes', async () => {
    let fail = true;
    const shipping = new OutputShipper({
      file,
      send: (text) => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('Redis unreachable'));
        }
        sent.push(text);
        return Promise.resolve();
      },
      maxBytes: 1000,
      tailBytes: 10,
    });
    await writeFile(file, 'lost\n');
    await shipping.ship();
    await appendFile(file, 'kept\n');
    await shipping.finish();
    expect(sent).toEqual(['kept\n']);
  });
});
