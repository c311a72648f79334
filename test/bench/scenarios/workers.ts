import { WorkerClient } from '../worker-rpc.js';
import type { JsPublisherApi } from '../worker-js-publisher.js';
import type { KvClientApi } from '../worker-js-kv.js';
import type { PublisherApi } from '../worker-publisher.js';
import type { RequesterApi } from '../worker-requester.js';
import type { SubscriberApi } from '../worker-subscriber.js';

/** Each role runs in its own worker thread so the load generator is not one event loop. */
export function startPublisher(): WorkerClient<PublisherApi> {
  return new WorkerClient<PublisherApi>(new URL('../worker-publisher.js', import.meta.url));
}

export function startSubscribers(): WorkerClient<SubscriberApi> {
  return new WorkerClient<SubscriberApi>(new URL('../worker-subscriber.js', import.meta.url));
}

export function startRequester(): WorkerClient<RequesterApi> {
  return new WorkerClient<RequesterApi>(new URL('../worker-requester.js', import.meta.url));
}

export function startJsPublisher(): WorkerClient<JsPublisherApi> {
  return new WorkerClient<JsPublisherApi>(new URL('../worker-js-publisher.js', import.meta.url));
}

export function startKvClient(): WorkerClient<KvClientApi> {
  return new WorkerClient<KvClientApi>(new URL('../worker-js-kv.js', import.meta.url));
}
