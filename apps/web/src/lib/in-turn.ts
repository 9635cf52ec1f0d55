/**
 * A line that tasks wait in: each runs once every task handed in before it has settled, whether that one
 * succeeded or failed. `const inTurn = takeTurns(); inTurn(() => a()); inTurn(() => b())` starts `b` after `a`.
 */
export function takeTurns() {
  let previous: Promise<unknown> = Promise.resolve();
  return <T>(run: () => Promise<T>): Promise<T> => {
    const turn = previous.then(run);
    previous = turn.catch(() => {});
    return turn;
  };
}
