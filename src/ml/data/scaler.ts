import { MinMaxScaler, type MinMaxScalerJSON } from './min-max-scaler.js';
import { StandardScaler, type StandardScalerJSON } from './standard-scaler.js';

/** A fitted scaler's JSON, of either kind. */
export type ScalerJSON = MinMaxScalerJSON | StandardScalerJSON;

/** Rebuilds a fitted scaler from its toJSON() output (dispatching on `type`). */
export function scalerFromJSON(json: ScalerJSON): MinMaxScaler | StandardScaler {
  if (json?.type === 'min-max') return MinMaxScaler.fromJSON(json);
  if (json?.type === 'standard') return StandardScaler.fromJSON(json);
  throw new TypeError(`scalerFromJSON: unknown scaler type '${String((json as { type?: unknown } | undefined)?.type)}'`);
}
