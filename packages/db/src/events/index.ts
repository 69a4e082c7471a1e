export { emitEvents, lockEventForDispatch, markEventDispatched, type StoredEvent } from "./emit.ts";
export { getAlertSettings, saveAlertSettings } from "./settings.ts";
