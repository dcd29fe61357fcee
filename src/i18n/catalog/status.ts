/** Texts of the status page (the copy, the link, the log delivery, the age chart), Swedish and English. */
import type { Catalog } from './types.ts';

export const sv = {
  statusTitle: 'Stationens status',
  statusBannerLink: 'Stationens status',
  statusSnapshotHeading: 'Aktiv kopia',
  statusNoSnapshot: 'Stationen har ingen kopia inläst.',
  statusSequence: 'Nummer',
  statusImportedAt: 'Inläst',
  statusAge: 'Ålder',
  statusFreshnessLabel: 'Bedömning',
  statusFreshness: {
    ok: 'Aktuell enligt schemat',
    warning: 'Äldre än väntat',
    critical: 'För gammal: stäm av viktiga uppgifter med ansvarig sjuksköterska',
  },
  statusLinkHeading: 'Förbindelse med exportören',
  statusLinkManual: 'Stationen hämtar inte kopior själv: de läses in för hand.',
  statusLinkUp: 'Stationen har kontakt med exportören.',
  statusLinkDown: 'Ingen kontakt med exportören sedan {time}.',
  statusLinkNeverUp: 'Stationen har ännu aldrig fått kontakt med exportören.',
  statusLastAttempt: 'Senaste försök',
  statusLastSuccess: 'Senaste lyckade hämtning',
  statusOutcome: 'Resultat',
  statusOutcomes: {
    imported: 'Ny kopia inläst',
    'up-to-date': 'Har redan den senaste kopian',
    unreachable: 'Exportören gick inte att nå',
    failed: 'Hämtningen misslyckades',
    rejected: 'Kopian vägrades',
  },
  statusErrorCode: 'Felkod',
  statusNextStep: 'Nästa steg',
  statusHeartbeat: 'Exportörens senaste livstecken',
  statusNever: 'aldrig',
  statusRejectedHeading: 'Vägrad kopia',
  statusRejected: 'En kopia vägrades {time}; stationen visar sin tidigare kopia.',
  statusAuditHeading: 'Åtkomstloggen till exportören',
  statusAuditNoInbox: 'Ingen mottagare för åtkomstloggen är inställd.',
  statusAuditDelivered: 'Levererad till och med post {through} av {head}.',
  statusAuditLastSuccess: 'Senaste leverans',
  statusAuditLastError: 'Senaste fel',
  statusHistoryHeading: 'Kopians ålder de senaste 14 dygnen',
  statusChartTitle: 'Uppgifternas ålder i timmar de senaste 14 dygnen',
  statusChartWarning: 'varning',
  statusChartCritical: 'kritisk',
  statusHours: 'tim',
  statusSummary:
    'Nu {current} tim gammal, som mest {max} tim. Inläsningar: {imports}. Över varningsgränsen sammanlagt {overWarning} tim, över den kritiska gränsen {overCritical} tim.',
  statusSummaryEmpty: 'Ingen kopia fanns på stationen under perioden.',
  statusNextSteps: {
    SYNC_UNREACHABLE:
      'Stationen fortsätter visa sin kopia och försöker igen av sig själv. Kontrollera nätverket; kvarstår felet, ring IT-jouren.',
    SYNC_INDEX_INVALID:
      'Stationen fortsätter visa sin kopia. Be IT kontrollera att exportören publicerar för den här stationen.',
    SYNC_DOWNLOAD_MISMATCH:
      'Stationen fortsätter visa sin kopia och hämtar igen. Upprepas felet: meddela IT.',
    AUDIT_DELIVERY_FAILED:
      'Inget raderas på stationen; leveransen fortsätter av sig själv när förbindelsen fungerar.',
    other:
      'Stationen fortsätter visa sin kopia. Kvarstår felet: kontakta den som ansvarar för reservstationen.',
  },
} as const;

export const en: Catalog<typeof sv> = {
  statusTitle: 'Station status',
  statusBannerLink: 'Station status',
  statusSnapshotHeading: 'Active copy',
  statusNoSnapshot: 'The station has no copy loaded.',
  statusSequence: 'Number',
  statusImportedAt: 'Loaded',
  statusAge: 'Age',
  statusFreshnessLabel: 'Assessment',
  statusFreshness: {
    ok: 'Current according to the schedule',
    warning: 'Older than expected',
    critical: 'Too old: check important facts with the nurse in charge',
  },
  statusLinkHeading: 'Link to the exporter',
  statusLinkManual: 'The station does not fetch copies itself: they are loaded by hand.',
  statusLinkUp: 'The station is in contact with the exporter.',
  statusLinkDown: 'No contact with the exporter since {time}.',
  statusLinkNeverUp: 'The station has never been in contact with the exporter yet.',
  statusLastAttempt: 'Last attempt',
  statusLastSuccess: 'Last successful fetch',
  statusOutcome: 'Result',
  statusOutcomes: {
    imported: 'New copy loaded',
    'up-to-date': 'Already has the newest copy',
    unreachable: 'The exporter could not be reached',
    failed: 'The fetch failed',
    rejected: 'The copy was refused',
  },
  statusErrorCode: 'Error code',
  statusNextStep: 'Next step',
  statusHeartbeat: 'The exporter’s last sign of life',
  statusNever: 'never',
  statusRejectedHeading: 'Refused copy',
  statusRejected: 'A copy was refused at {time}; the station shows its previous copy.',
  statusAuditHeading: 'Access log to the exporter',
  statusAuditNoInbox: 'No receiver for the access log is set up.',
  statusAuditDelivered: 'Delivered up to entry {through} of {head}.',
  statusAuditLastSuccess: 'Last delivery',
  statusAuditLastError: 'Last error',
  statusHistoryHeading: 'Age of the copy over the last 14 days',
  statusChartTitle: 'Age of the data in hours over the last 14 days',
  statusChartWarning: 'warning',
  statusChartCritical: 'critical',
  statusHours: 'h',
  statusSummary:
    'Now {current} h old, at most {max} h. Copies loaded: {imports}. Past the warning limit for {overWarning} h in all, past the critical limit for {overCritical} h.',
  statusSummaryEmpty: 'The station held no copy during the period.',
  statusNextSteps: {
    SYNC_UNREACHABLE:
      'The station keeps showing its copy and tries again by itself. Check the network; if it persists, call the IT on-call line.',
    SYNC_INDEX_INVALID:
      'The station keeps showing its copy. Ask IT to check that the exporter publishes for this station.',
    SYNC_DOWNLOAD_MISMATCH:
      'The station keeps showing its copy and fetches again. If it repeats: tell IT.',
    AUDIT_DELIVERY_FAILED:
      'Nothing is deleted on the station; delivery resumes by itself when the link works.',
    other:
      'The station keeps showing its copy. If it persists: contact the person responsible for the backup station.',
  },
};
