import { gatehouseVitest } from "@gatehouse/vitest-config";

// The client test starts the real API on a real database, once per backend.
export default gatehouseVitest({ database: true });
