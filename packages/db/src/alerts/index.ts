export { evaluateSpendAlerts, SPEND_ALERTS_SQL, type SpendAlertsOutcome } from "./spend.ts";
