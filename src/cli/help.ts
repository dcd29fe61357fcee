/** The --help text: every command with its options, one screen. */
export const HELP = `reservjournal – downtime backup station for municipal care records

Usage: reservjournal <command> [options]

Commands:
  demo        Start the demo station on built-in synthetic data (what \`npm start\` runs)
                --data-dir DIR   where the demo keeps its files (default .reservjournal/demo)
                --people N       number of synthetic people (default 300)
                --port N         web port on 127.0.0.1 (default 8080, PORT)
  generate    Write a synthetic FHIR Bulk Data export
                --people N --seed S --out DIR [--as-of INSTANT] [--force]
  load        Load a Bulk Data export folder into a station
                --source DIR --data-dir DIR
  serve       Serve the station's data on http://127.0.0.1:PORT
                --data-dir DIR [--port N]

Options for station commands:
  --data-dir DIR      station data directory (or RESERVJOURNAL_DATA_DIR)
  --config FILE       JSON configuration file (or RESERVJOURNAL_CONFIG)
  --log-level LEVEL   debug, info, warn, error or silent
  -h, --help          show this help
  -v, --version       show the version

Documentation: README.md and docs/ in the project.
`;
