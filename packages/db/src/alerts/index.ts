export { evaluateSpendAlerts, SPEND_ALERTS_SQL, type SpendAlertsOutcome } from "./spend.ts";
export { evaluateExpiryWarnings, EXPIRY_WARNINGS_SQL } from "./expiry.ts";
export { evaluateOperationsAlerts, OPERATIONS_ALERTS_SQL } from "./operations.ts";
