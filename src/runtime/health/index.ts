/** The health probes' public face: the rest of the runtime needs only runProbe and its types. */
export { runProbe } from './probe.js';
export type { ProbeContext, ProbeResult } from './probe-attempt.js';
export { probeExec } from './exec-probe.js';
export { probeGrpc } from './grpc-probe.js';
export { probeHttp } from './http-probe.js';
export { probeTcp } from './tcp-probe.js';
