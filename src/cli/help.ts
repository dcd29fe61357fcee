/** The --help text: every command with its options, one screen. */
export const HELP = `reservjournal – downtime backup station for municipal care records

Usage: reservjournal <command> [options]

Demo:
  demo              Start the demo station on built-in synthetic data (what \`npm start\` runs)
                      [--data-dir DIR] [--people N] [--port N]
  demo fhir-server  A small FHIR server (Bulk Data and REST search) over a generated
                      export, to try pull and the exporter: --source DIR [--port 8090]
                      [--token-file FILE]

Exporter side:
  generate          Write a synthetic FHIR Bulk Data export
                      --people N --seed S --out DIR [--as-of INSTANT] [--force]
  pull              Fetch a FHIR server's data (or read Bundle / NDJSON files) into a
                      Bulk Data folder for snapshot build; the folder appears complete
                      or not at all
                      --fhir-base URL [--group ID | --patient-level] [--type T,...]
                      [--since INSTANT] [--search [--page-size N]] [--allow-partial]
                      [--token-file FILE | --token-env VAR | --smart-client-id ID
                      --smart-key FILE.pem --smart-kid KID [--smart-token-url URL]
                      [--smart-scope S]] --out DIR
                      or: --from-bundles DIR --out DIR, --from-folder DIR --out DIR
  keys exporter     Create the exporter's signing key pair
                      --out DIR   (writes exporter.key and exporter.pub)
  snapshot build    Build a signed, encrypted snapshot from a Bulk Data folder
                      --source DIR --sequence N --sign-key FILE --recipient FILE.pub
                      --out FILE [--environment prod|test] [--target NAME]
  exporter run      Pull, split per station, build and publish into the outbox on the
                      configured schedule; --once for one run now (non-zero on failure)
                      --config FILE [--once] [--log-level LEVEL]
  exporter status   The exporter's freshness and each station's published snapshot
                      --config FILE [--json]

Station side:
  station init      Create a station that trusts an exporter key
                      --data-dir DIR --trust-exporter FILE.pub [--name NAME]
                      [--environment prod|test]
  station trust     List trusted exporter keys; add a new one or revoke an old one
                      --data-dir DIR [--add FILE.pub] [--revoke KEYID]
  station switch    Make a kept snapshot active again (wrong data in the newest one)
                      --data-dir DIR (--previous | --to SNAPSHOT_ID) --reason TEXT
  import FILE       Verify and import a snapshot, all or nothing
                      --data-dir DIR [--keep N]
  status            Show the active snapshot, its age, history and last failure
                      --data-dir DIR [--json]
  serve             Serve the station on http://127.0.0.1:PORT
                      --data-dir DIR [--port N]
  sync              Fetch the newest snapshot from the exporter's outbox and import it
                      --data-dir DIR [--from URL|DIR]   (default: link.from in the config)
  station run       Serve the station and sync from the outbox every link.intervalMinutes
                      --data-dir DIR [--from URL|DIR] [--port N]

Access and audit (passwords are read from standard input or --password-file, never argv):
  users add NAME    --role staff|nurse|oncall|admin|auditor --units U1,U2
                      [--display-name TEXT] [--hsa-id ID] [--totp] [--password-file FILE]
  users list        [--json]
  users disable NAME
  users reset NAME  [--password-file FILE] [--new-totp]
  access grant      Issue an emergency code (at most 12 hours, one unit)
                      --unit U --hours H --reason TEXT --by ONCALL-USER [--for NAME]
  access list       [--json]
  access revoke REF --by USER
  audit verify      Check the audit log's hash chain from the first entry to the last
  audit export      Write the audit log as FHIR AuditEvent NDJSON plus a signed checkpoint
                      --out FILE [--since INSTANT]
  totp SECRET       Print the current one-time code for a TOTP secret (demo accounts)

Printing:
  print unit-pack   A unit's downtime pack as PDF, printed as USER (audited like the web)
                      --unit U --user USER --out FILE.pdf [--hours 24|48|72]

Options for station commands:
  --data-dir DIR      station data directory (or RESERVJOURNAL_DATA_DIR)
  --config FILE       JSON configuration file (or RESERVJOURNAL_CONFIG)
  --log-level LEVEL   debug, info, warn, error or silent
  -h, --help          show this help
  -v, --version       show the version

Documentation: README.md and docs/ in the project.
`;
