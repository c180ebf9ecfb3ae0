import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export interface OutputShipperOptions {
  /** The command's log file on the worker. */
  readonly file: string;
  /** Sends text to the coordinator (BullMQ's job log). */
  readonly send: (text: string) => Promise<void>;
  /** Bytes shipped as they come, at most; past them only the last `tailBytes` follow, at the end. */
  readonly maxBytes: number;
  readonly tailBytes: number;
}

/**
 * Ships a command's log file to the coordinator as it grows: each `ship` sends what was written since
 * the last one. Output past `maxBytes` is not sent as it comes (Redis holds it); `finish` then sends a
 * note of what was left out and the last `tailBytes`, where a failure usually explains itself.
 * Ships run one after the other; a multi-byte character cut between two reads is sent whole.
 */
export class OutputShipper {
  readonly #options: OutputShipperOptions;
  readonly #decoder = new StringDecoder('utf8');
  /** Bytes of the file read so far (sent, or left out past the limit). */
  #offset = 0;
  #sent = 0;
  #shipping: Promise<void> = Promise.resolve();

  constructor(options: OutputShipperOptions) {
    this.#options = options;
  }

  /** Sends what was written since the last ship, within the limit. Never rejects. */
  ship(): Promise<void> {
    return this.#queue(async () => {
      const budget = this.#options.maxBytes - this.#sent;
      if (budget <= 0) return;
      const bytes = await this.#read(this.#offset, budget);
      this.#offset += bytes.length;
      this.#sent += bytes.length;
      const text = this.#decoder.write(bytes);
      if (text !== '') await this.#options.send(text);
    });
  }

  /** Ships the rest: within the limit all of it; past it, a note and the last `tailBytes`. Never rejects. */
  async finish(): Promise<void> {
    await this.ship();
    await this.#queue(async () => {
      const { size } = await stat(this.#options.file);
      const rest = this.#decoder.end();
      if (size <= this.#offset) {
        if (rest !== '') await this.#options.send(rest);
        return;
      }
      const tailStart = Math.max(this.#offset, size - this.#options.tailBytes);
      const tail = await this.#read(tailStart, size - tailStart);
      const note = `\n[sdp-dispatch worker: ${tailStart - this.#offset} bytes of output left out (more than ${this.#options.maxBytes} bytes); the last ${tail.length} follow]\n`;
      await this.#options.send(rest + note + new StringDecoder('utf8').end(tail));
    });
  }

  #queue(step: () => Promise<void>): Promise<void> {
    // A failed read or send loses that piece of output only: the command and the job go on.
    this.#shipping = this.#shipping.then(step).catch(() => undefined);
    return this.#shipping;
  }

  async #read(position: number, maxLength: number): Promise<Buffer> {
    const handle = await open(this.#options.file, 'r');
    try {
      const buffer = Buffer.alloc(Math.max(0, Math.min(maxLength, (await handle.stat()).size - position)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}
