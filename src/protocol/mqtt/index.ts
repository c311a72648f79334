export * from './codec.js';
export * from './reason-codes.js';
export * from './topic.js';
