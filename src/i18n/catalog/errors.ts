/**
 * Error pages in the user's language, by stable error code. Codes without an entry fall back to
 * the English message and hint of src/core/errors.ts.
 */
export type ErrorTexts = Partial<
  Record<string, { readonly message: string; readonly hint: string }>
>;

export const sv: ErrorTexts = {
  NOT_FOUND: {
    message: 'Sidan eller uppgiften finns inte i denna kopia av journalen.',
    hint: 'Gå tillbaka till enhetslistan och sök igen.',
  },
  STORE_NO_DATA: {
    message: 'Stationen har inga uppgifter inlästa ännu.',
    hint: 'Kontakta den som ansvarar för reservstationen.',
  },
  HOST_REJECTED: {
    message: 'Stationen nås bara på sin egen adress.',
    hint: 'Öppna adressen som stationen visade när den startade (http://127.0.0.1:PORT).',
  },
  FORBIDDEN_ORIGIN: {
    message: 'Formuläret kom från en sida som inte tillhör stationen.',
    hint: 'Öppna stationen på dess egen adress och försök igen.',
  },
  AUTH_REQUIRED: {
    message: 'Du behöver logga in för att se sidan.',
    hint: 'Logga in med ditt konto eller med en nödkod från jourhavande enhetschef.',
  },
  AUTH_FAILED: {
    message: 'Användarnamn, lösenord eller kod stämmer inte.',
    hint: 'Försök igen. Kommer du inte in: ring jourhavande enhetschef och be om en nödkod.',
  },
  AUTH_THROTTLED: {
    message: 'För många misslyckade försök med det här namnet.',
    hint: 'Vänta en stund och försök igen, eller be jourhavande enhetschef om en nödkod.',
  },
  SESSION_EXPIRED: {
    message: 'Du loggades ut eftersom sessionen tog slut.',
    hint: 'Logga in igen.',
  },
  ACCESS_DENIED: {
    message: 'Ditt konto får inte se eller göra detta.',
    hint: 'Gå tillbaka till dina enheter. Behöver du uppgiften för vården: ring jourhavande enhetschef.',
  },
  BREAK_GLASS_REQUIRED: {
    message: 'Personen tillhör en annan enhet än dina.',
    hint: 'Ange varför du behöver journalen; åtkomsten loggas och granskas.',
  },
  AUDIT_UNAVAILABLE: {
    message: 'Åtkomstloggen kan inte skrivas just nu, därför visas inga uppgifter.',
    hint: 'Försök igen om en stund. Kvarstår felet: ring IT-jouren.',
  },
  EMERGENCY_CODE_INVALID: {
    message: 'Nödkoden kunde inte skapas.',
    hint: 'Välj en av dina enheter, högst 12 timmar och skriv en anledning.',
  },
  INTERNAL: {
    message: 'Ett internt fel inträffade.',
    hint: 'Försök igen. Kvarstår felet: kontakta den som ansvarar för reservstationen.',
  },
};

export const en: ErrorTexts = {
  NOT_FOUND: {
    message: 'The page or record does not exist in this copy of the journal.',
    hint: 'Go back to the unit list and search again.',
  },
  STORE_NO_DATA: {
    message: 'The station has no data loaded yet.',
    hint: 'Contact the person responsible for the backup station.',
  },
  HOST_REJECTED: {
    message: 'The station only answers at its own address.',
    hint: 'Open the address the station printed when it started (http://127.0.0.1:PORT).',
  },
  FORBIDDEN_ORIGIN: {
    message: 'The form came from a page that does not belong to the station.',
    hint: 'Open the station at its own address and try again.',
  },
  AUTH_REQUIRED: {
    message: 'You need to sign in to see this page.',
    hint: 'Sign in with your account or with an emergency code from the on-call unit manager.',
  },
  AUTH_FAILED: {
    message: 'The user name, password or code is not right.',
    hint: 'Try again. If you cannot get in: call the on-call unit manager and ask for an emergency code.',
  },
  AUTH_THROTTLED: {
    message: 'Too many failed attempts with this name.',
    hint: 'Wait a moment and try again, or ask the on-call unit manager for an emergency code.',
  },
  SESSION_EXPIRED: {
    message: 'You were signed out because the session ended.',
    hint: 'Sign in again.',
  },
  ACCESS_DENIED: {
    message: 'Your account may not see or do this.',
    hint: 'Go back to your units. If you need it for someone’s care: call the on-call unit manager.',
  },
  BREAK_GLASS_REQUIRED: {
    message: 'This person belongs to a unit other than yours.',
    hint: 'Say why you need the record; the access is logged and reviewed.',
  },
  AUDIT_UNAVAILABLE: {
    message: 'The access log cannot be written right now, so nothing is shown.',
    hint: 'Try again in a moment. If it persists: call the IT on-call line.',
  },
  EMERGENCY_CODE_INVALID: {
    message: 'The emergency code could not be created.',
    hint: 'Choose one of your units, at most 12 hours, and write a reason.',
  },
  INTERNAL: {
    message: 'An internal error occurred.',
    hint: 'Try again. If it persists: contact the person responsible for the backup station.',
  },
};
