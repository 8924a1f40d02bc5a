import { MemoryIncidentRepo } from './memory-repo.js';
import { describeIncidentLifecycle } from './testing.js';

describeIncidentLifecycle('memory repo', async () => new MemoryIncidentRepo());
