import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The native relay (src/native/relay.c): a session's steady state relayed by C on Node's own event
 * loop, calling back only for watched messages. The session stays the one owner of the protocol:
 * the pump hands everything unusual back to it (see the C file's header).
 */

/** Which relay sessions use: `auto` takes the native one when it is built, and says so when not. */
export type RelayChoice = 'auto' | 'native' | 'js';
export const RELAY_CHOICES: readonly RelayChoice[] = ['auto', 'native', 'js'];

/** What the message callback answers the pump. */
export const PUMP_PASS = 0;
export const PUMP_PASS_WANT_READY = 1;
export const PUMP_HANDOFF = 2;

/** Why the pump stopped (relay.c's STOP_*). */
export enum PumpStop {
  Requested = 0,
  Handoff = 1,
  ClientEnded = 2,
  UpstreamEnded = 3,
  OddMessage = 4,
  BackendMalformed = 5,
  CallbackFailed = 6,
}

/** Slots of the state shared with the pump (relay.c's S_*). */
export const enum Slot {
  Outstanding = 0,
  Forwarded = 1,
  Syncs = 2,
  Readies = 3,
  FromClient = 4,
  FromServer = 5,
  TxStatus = 6,
  Skip = 7,
  LastType = 8,
  Failed = 9,
  WantReady = 10,
  HeaderFilled = 11,
  Running = 12,
  QueuedToUpstream = 13,
  QueuedToClient = 14,
  /** Watched messages the interceptor's native filter passed without a callback (a running total). */
  Filtered = 15,
}
const SLOTS = 16;

type PumpHandle = { readonly __pump: unique symbol };
/**
 * A native filter (relay.c's HarmlessFilter): proves some watched messages harmless in C, so the
 * pump passes them without calling the interceptor. The interceptor owns what it means.
 */
export type NativeFilterHandle = { readonly __nativeFilter: unique symbol };

interface PumpCallbacks {
  message(type: number, offset: number, length: number): number;
  ready(status: number, failed: number): number;
  stopped(reason: number, rest: Buffer | null, toUpstream: Buffer | null, toClient: Buffer | null): void;
}

export interface NativeRelayModule {
  readonly version: number;
  create(callbacks: PumpCallbacks, input: Buffer, state: Float64Array, header: Buffer, watches: Uint8Array, maxMessage: number, filter: NativeFilterHandle | null): PumpHandle;
  start(pump: PumpHandle, clientFd: number, upstreamFd: number): void;
  stop(pump: PumpHandle): boolean;
  release(pump: PumpHandle): void;
  /** A filter that passes nothing until setRoutines gives it a catalog snapshot's routines. */
  createFilter(): NativeFilterHandle;
  /** The routine names of the database's current snapshot; null: no snapshot (pass nothing). */
  setRoutines(filter: NativeFilterHandle, names: readonly string[] | null): void;
  /** What a pump with this filter decides for a whole Query or Parse message, without JavaScript. */
  filterPasses(filter: NativeFilterHandle, type: number, message: Buffer): boolean;
}

/** The addon's version this code speaks to. */
const VERSION = 2;

export type NativeRelayLoad = { ok: true; module: NativeRelayModule; path: string } | { ok: false; reason: string };

let loaded: NativeRelayLoad | null = null;

/** Loads the addon once; `npm run build` compiles it into dist/native. */
export function loadNativeRelay(): NativeRelayLoad {
  if (loaded) return loaded;
  // From dist/proxy it sits in dist/native; from src/proxy (tests under tsx), in ../../dist/native.
  const paths = ['../native/tripwire-relay.node', '../../dist/native/tripwire-relay.node'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const path = paths.find((p) => existsSync(p));
  if (!path) {
    loaded = { ok: false, reason: `not built (no ${paths[0]}; npm run build compiles it, and needs a C compiler and Node's headers)` };
    return loaded;
  }
  try {
    const module = createRequire(import.meta.url)(path) as NativeRelayModule;
    loaded = module.version === VERSION ? { ok: true, module, path } : { ok: false, reason: `${path} is version ${module.version}, expected ${VERSION}: rebuild it (npm run build)` };
  } catch (err) {
    loaded = { ok: false, reason: `${path} did not load: ${err instanceof Error ? err.message : String(err)}` };
  }
  return loaded;
}

/** The session's side of a pump, for the callbacks. */
export interface PumpOwner {
  /** A watched message: PUMP_PASS, PUMP_PASS_WANT_READY or PUMP_HANDOFF. `message` is valid during the call only. */
  pumpMessage(type: number, message: Buffer): number;
  /** A ReadyForQuery the owner asked for; true to be told of the next one too. */
  pumpReady(status: number, failed: boolean): boolean;
  /** The pump stopped: whole messages not forwarded, then output not yet written, per side. */
  pumpStopped(reason: PumpStop, rest: Buffer | null, toUpstream: Buffer | null, toClient: Buffer | null): void;
}

/** Client bytes the pump holds at most; a larger message goes back to the session's framer. */
const INPUT_BYTES = 64 * 1024;

/** One session's pump: its buffers, and the state it shares with the session. */
export class NativePump {
  /** Read by the session (counters, transaction status, where the backend stream stands). */
  readonly state = new Float64Array(SLOTS);
  /** A backend header split across reads: `state[HeaderFilled]` bytes of it. */
  readonly header = Buffer.alloc(6);
  private readonly input = Buffer.allocUnsafe(INPUT_BYTES);
  private readonly handle: PumpHandle;
  /**
   * What a message or ready callback threw, the first time: the C side can only say that one
   * failed (PumpStop.CallbackFailed), so the error itself is kept here for the owner to report.
   */
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly native: NativeRelayModule,
    owner: PumpOwner,
    watches: Uint8Array,
    maxMessageBytes: number,
    filter: NativeFilterHandle | null = null,
  ) {
    const input = this.input;
    this.handle = native.create(
      {
        // try/catch in place rather than a wrapper: no closure per watched message.
        message: (type, offset, length) => {
          try {
            return owner.pumpMessage(type, input.subarray(offset, offset + length));
          } catch (error) {
            return this.failed(error);
          }
        },
        ready: (status, failed) => {
          try {
            return owner.pumpReady(status, failed !== 0) ? 1 : 0;
          } catch (error) {
            return this.failed(error);
          }
        },
        stopped: (reason, rest, toUpstream, toClient) => owner.pumpStopped(reason as PumpStop, rest, toUpstream, toClient),
      },
      input,
      this.state,
      this.header,
      watches,
      maxMessageBytes,
      filter,
    );
  }

  /** Keeps the first error a callback threw, and throws it on to the C side (CallbackFailed). */
  private failed(error: unknown): never {
    this.failure ??= { error };
    throw error;
  }

  /** The error behind a CallbackFailed stop, once: later stops start clean. */
  takeCallbackError(): unknown {
    const failure = this.failure;
    this.failure = null;
    return failure ? failure.error : new Error('a native relay callback failed (no error was recorded)');
  }

  get running(): boolean {
    return this.state[Slot.Running] === 1;
  }

  start(clientFd: number, upstreamFd: number): void {
    this.native.start(this.handle, clientFd, upstreamFd);
  }

  /** Stops now and calls `pumpStopped`, or, from inside a callback, as soon as it returns (false). */
  stop(): boolean {
    return this.native.stop(this.handle);
  }

  /** Lets go of the owner; the pump must be stopped. */
  release(): void {
    this.native.release(this.handle);
  }
}
