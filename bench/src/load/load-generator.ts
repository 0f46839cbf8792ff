/** The interface both load generators (wrk, autocannon) implement: one timed slice of load. */

/** One slice of load against one URL. */
export interface SliceOptions {
  url: string;
  /** Request headers sent with every request (e.g. the session cookie). */
  headers: Readonly<Record<string, string>>;
  /** Slice length in whole seconds (wrk's resolution). */
  durationSeconds: number;
  /** Concurrent keep-alive connections. */
  connections: number;
}

/** What one slice measured. Latencies in milliseconds. */
export interface SliceResult {
  /** Completed responses. */
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status of 400 or more. A correct case has none. */
  errorResponses: number;
  /** Connection errors and timeouts. A correct case has none. */
  socketErrors: number;
}

export interface LoadGenerator {
  /** `"wrk"` or `"autocannon"`, recorded in the results. */
  readonly name: string;
  /** Version string, recorded in the results. */
  readonly version: string;
  run(options: SliceOptions): Promise<SliceResult>;
}
