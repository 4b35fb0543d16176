export * from './types';
export * from './probe';
export * from './replay';
export * from './cache';
export { QapiSchema } from './schema';
export { FLAG_RULES } from './flags';
