import { gatehouseVitest } from "@gatehouse/vitest-config";

export default gatehouseVitest();
