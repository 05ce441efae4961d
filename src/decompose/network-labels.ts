// Moved to network/core-layout.ts (every core-layout conversion lives there); this re-export
// remains only until the last importer (levenberg-marquardt.ts) is switched over.
export { labelNetwork, spareLetter, type NetworkLabels } from '../network/core-layout.js';
