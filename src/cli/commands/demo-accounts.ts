/**
 * The demo station's accounts, one per role. They exist only in the demo: `npm start` creates
 * them on first run and prints how to sign in as each. The staff account is linked by HSA-id to
 * a care worker in the synthetic staff roster, so the demo shows roster linking at work.
 */
import { addUser, getUser, listUsers } from '../../auth/users.ts';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../store/db.ts';

/** One passphrase for every demo account (synthetic, printed on screen, demo only). */
export const DEMO_PASSWORD = 'nattpass på Björkhagen';

interface DemoAccount {
  readonly name: string;
  readonly displayName: string;
  readonly role: 'staff' | 'nurse' | 'oncall' | 'admin' | 'auditor';
  readonly units: readonly string[];
  readonly what: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    name: 'personal',
    displayName: 'Demo Undersköterska',
    role: 'staff',
    units: ['sabo-1'],
    what: 'omsorgspersonal, Björkhagen; kopplad till personallistan: ser sin avdelning',
  },
  {
    name: 'hemtjanst',
    displayName: 'Demo Hemtjänst',
    role: 'staff',
    units: ['hemtjanst-1'],
    what: 'omsorgspersonal, Hemtjänst Norr',
  },
  {
    name: 'sjukskoterska',
    displayName: 'Demo Sjuksköterska',
    role: 'nurse',
    units: ['kommun'],
    what: 'sjuksköterska, alla enheter',
  },
  {
    name: 'jour',
    displayName: 'Demo Jourhavande enhetschef',
    role: 'oncall',
    units: ['kommun'],
    what: 'jourhavande enhetschef (nödkoder), engångskod krävs',
  },
  {
    name: 'admin',
    displayName: 'Demo Administratör',
    role: 'admin',
    units: [],
    what: 'administratör (ingen patientdata), engångskod krävs',
  },
  {
    name: 'granskare',
    displayName: 'Demo Loggranskare',
    role: 'auditor',
    units: [],
    what: 'loggranskare',
  },
];

/** HSA-id of a care worker placed in `unit` by the snapshot's roster, if there is one. */
function rosterHsa(snapshot: Db, unit: string): string | undefined {
  const row = snapshot
    .prepare(
      `SELECT json_extract(p.raw, '$.identifier[0].value') AS hsa
         FROM resource r JOIN resource p
           ON p.type = 'Practitioner' AND 'Practitioner/' || p.id = json_extract(r.raw, '$.practitioner.reference')
        WHERE r.type = 'PractitionerRole'
          AND json_extract(r.raw, '$.organization.reference') = ?
          AND json_extract(r.raw, '$.code[0].coding[0].code') = 'staff'
        ORDER BY r.id LIMIT 1`,
    )
    .get(`Organization/${unit}-avd-1`) as { hsa: string | null } | undefined;
  return row?.hsa ?? undefined;
}

/** Create the demo accounts that do not exist yet. */
export async function ensureDemoAccounts(control: Db, snapshot: Db | undefined, clock: Clock) {
  for (const a of DEMO_ACCOUNTS) {
    if (getUser(control, a.name)) continue;
    const hsaId = a.name === 'personal' && snapshot ? rosterHsa(snapshot, 'sabo-1') : undefined;
    await addUser(control, { ...a, password: DEMO_PASSWORD, hsaId }, clock);
  }
}

/** The sign-in table the demo prints at every start. */
export function demoSignInHelp(control: Db): string[] {
  const secrets = new Map(listUsers(control).map((u) => [u.name, u.totpSecret]));
  const lines = [`Inloggning (sign-in), lösenord för alla demokonton: ${DEMO_PASSWORD}`];
  for (const a of DEMO_ACCOUNTS) {
    lines.push(`  ${a.name.padEnd(14)} ${a.what}`);
    const secret = secrets.get(a.name);
    if (secret)
      lines.push(
        `  ${''.padEnd(14)} engångskod: node bin/reservjournal.js totp ${secret}   (TOTP code)`,
      );
  }
  lines.push(
    'Nödkod (emergency code): logga in som "jour", välj Nödkoder och skapa en kod;',
    '  logga sedan in med koden och ditt namn i rutan "Inget konto?" på inloggningssidan.',
  );
  return lines;
}
