/** The per-request values the station's middleware sets for its routes. */
import type { Subject } from '../auth/policy.ts';
import type { Session } from '../auth/sessions.ts';
import type { FrameContext, PageContext } from './layout.ts';
import type { Snapshot } from './snapshot.ts';

export type Env = {
  Variables: {
    nonce: string;
    /** The snapshot this request reads, taken once at its start; absent when none is loaded. */
    snapshot: Snapshot | undefined;
    session: Session;
    subject: Subject;
    frame: FrameContext;
  };
};

export type { PageContext };
