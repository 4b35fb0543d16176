export * from './lifecycle';
export * from './runtime';
export * from './status';
