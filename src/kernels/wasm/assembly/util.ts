/** x rounded up to a multiple of `to`. */
// @ts-ignore: decorator
@inline export function roundUp(x: i32, to: i32): i32 {
  return (x + to - 1) / to * to;
}
