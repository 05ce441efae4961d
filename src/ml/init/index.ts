/** Core initializers for tensor-network models. */
export type { CoreRole } from './core-role.js';
export {
  randomNormal, identityPlusNoise, randomIsometric, gramSchmidt, initializerFromSpec, parseInitializer,
  type Initializer, type InitializerSpec,
} from './initializers.js';
