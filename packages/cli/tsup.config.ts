import { packageBuild } from '../../tsup.base';

export default packageBuild({ extraEntries: ['src/bin.ts'] });
