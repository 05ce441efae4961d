/**
 * What an initializer needs to know about a core beyond its shape: which axes are
 * physical (index 0 of a physical axis is the embedding's constant/bias component, when it
 * has one), which pairs of bond axes an identity should connect, and which axes form the
 * rows of the matrix an isometric initializer orthonormalises (the rest are its columns).
 */
export interface CoreRole {
  readonly shape: readonly number[];
  readonly physAxes: readonly number[];
  /** Pairs [in, out] of bond axes along which an identity passes a signal through the core. */
  readonly identityPairs: readonly (readonly [number, number])[];
  /** Axes grouped as matrix rows for isometric initializers (the rest are columns). */
  readonly rowAxes: readonly number[];
  /** Axes that carry an output (class) index: an identity is copied along them. */
  readonly outputAxes?: readonly number[];
}
