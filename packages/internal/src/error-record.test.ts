import { describe, expect, it } from 'vitest';
import { errorRecordOf } from './error-record.js';

describe('errorRecordOf', () => {
  it('keeps the name and message, and a numeric exitCode only', () => {
    expect(errorRecordOf(new TypeError('bad'))).toEqual({ name: 'TypeError', message: 'bad' });
    expect(errorRecordOf(Object.assign(new Error('exit'), { exitCode: 2 }))).toEqual({ name: 'Error', message: 'exit', exitCode: 2 });
    expect(errorRecordOf(Object.assign(new Error('exit'), { exitCode: '2' }))).toEqual({ name: 'Error', message: 'exit' });
  });

  it('describes a thrown non-Error by its string form', () => {
    expect(errorRecordOf('gone')).toEqual({ name: 'Error', message: 'gone' });
    expect(errorRecordOf(undefined)).toEqual({ name: 'Error', message: 'undefined' });
  });
});
