// Moved to network/core-layout.ts (every core-layout conversion lives there); this re-export
// remains only until the last importer (svd-sweep.ts) is switched over.
export { fromNaturalCores } from '../network/core-layout.js';
