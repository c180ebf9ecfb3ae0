/**
 * A listener that says an error only when its message differs from the previous one: while Redis is
 * away, every reconnect attempt repeats the same error.
 */
export function sayChangedErrors(say: (error: Error) => void): (error: Error) => void {
  let last = '';
  return (error) => {
    if (error.message !== last) say(error);
    last = error.message;
  };
}
