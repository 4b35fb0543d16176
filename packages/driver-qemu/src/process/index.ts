export * from './domain-runtime';
export * from './domain-state';
export * from './lifecycle';
export * from './manager';
export * from './spawn';
export * from './status';
