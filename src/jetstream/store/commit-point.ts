// How many appends a turn gathers before its commit point lets their acks go out.
//
// A publisher with a window of messages in flight refills it as acks arrive: acked all at the end of
// a turn that stored the whole window, it sends nothing while the turn runs and the server then waits
// for it. Acked at commit points mid-turn, the first part's acks go out (with 'always', its sync runs)
// while the rest is stored. Measured with 256 in flight against nats-server: the file store at "2m"
// went from 0.67-0.75x (one commit a turn) to 0.78-0.86x; at 'always' 128 measured 0.65-0.77x where
// 64 measured 0.59-0.66x and 32 0.56-0.64x. A memory stream, which has no commit to wait for,
// measured 0.70-0.83x acked at the end of the turn and 0.90-1.27x with 128 (32 the same, 8 less: a
// socket write per few acks).
export const COMMIT_POINT_APPENDS = 128;
