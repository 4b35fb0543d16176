/** The virtkit API definition: every public call, flag and value enum, record, error and wire layout. */
export * from './dsl';
export * from './errors';
export * from './connect';
export * from './domain';
export * from './snapshot';
export * from './checkpoint';
export * from './backup';
export * from './blockjob';
export * from './storage';
export * from './network';
export * from './interface';
export * from './stats';
export * from './node';
export * from './secret';
export * from './tuning';
export * from './events';
export * from './protocol';
