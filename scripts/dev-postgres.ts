import { startCluster } from '../test/harness/cluster.js';
const c = await startCluster();
console.log(c.url());
process.on('SIGTERM', () => { c.destroy(); process.exit(0); });
setInterval(() => {}, 1e6);
