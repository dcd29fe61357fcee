/**
 * Control database 0004: what monitoring needs beyond 0003.
 *
 * - `sync_event.exporter_expected_interval_minutes` and `exporter_grace_minutes`: the schedule
 *   the exporter announced in the heartbeat read by that sync. The station judges "the exporter
 *   has stopped" by the exporter's own promise (expected interval plus grace), not by a guess;
 *   NULL when no heartbeat was read (the station then falls back to its freshness warning limit).
 * - `alert_state.fingerprint`: what the last alert of a kind was about (a severity, a refused
 *   snapshot's sequence and code). A lasting condition that changes (warning turns critical,
 *   another snapshot is refused) is alerted at once instead of waiting for the slow repeat.
 */
export const sql = `
ALTER TABLE sync_event ADD COLUMN exporter_expected_interval_minutes INTEGER;
ALTER TABLE sync_event ADD COLUMN exporter_grace_minutes INTEGER;
ALTER TABLE alert_state ADD COLUMN fingerprint TEXT;
`;
