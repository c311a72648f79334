// What the server loads at start for its system account's events; the request answerers (the rest
// of monitor/) load with the first request.
export { ServerStamp } from './server-stamp.js';
export { accountStat, eventId, SystemEvents } from './system-events.js';
